package org.carnet.breach;

import java.util.Locale;

/** What a security officer can do in one action during an incident. */
public enum Containment {
    /** Suspend a third-party program: its tokens stop at once, it gets no new one. */
    SUSPEND_PROGRAM,
    /** Lock an account: no sign-in by any way in until lifted; its sessions and tokens end. */
    LOCK_ACCOUNT,
    /** End every page session and API token of an account; its owner may sign in again. */
    END_SESSIONS;

    /** As the API and the pages name it: {@code suspend-program}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
