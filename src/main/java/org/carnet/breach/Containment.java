package org.carnet.breach;

import java.util.Locale;

/** What a security officer can do in one action during an incident. */
public enum Containment {
    /** Suspend a third-party program: its tokens stop at once, it gets no new one. */
    SUSPEND_PROGRAM,
    /** Lock an account: no sign-in by any way in until lifted; its sessions and tokens end. */
    LOCK_ACCOUNT,
    /** Lift an account's lock (the officer's, or one after failed sign-ins): it may sign in again. */
    LIFT_LOCK,
    /** End every page session and API token of an account; its owner may sign in again. */
    END_SESSIONS,
    /**
     * Require new credentials of an account: its sessions and tokens end, its passkeys go, and its next
     * sign-in (with every factor it has) opens only the choice of a new password and, for a professional
     * or an account that had one, the enrolment of a new authenticator.
     */
    REQUIRE_RENEWAL,
    /**
     * End every page session and API token of every member of an establishment (practitioners, staff,
     * administrators) and every token of its programs; patients' sessions are left alone.
     */
    END_ESTABLISHMENT_SESSIONS,
    /**
     * Rotate an establishment's data key: a new version, and every value sealed for the establishment
     * re-sealed under it, in the background; the end is written on the incident's timeline.
     */
    ROTATE_ESTABLISHMENT_KEYS,
    /** Put an establishment in read-only mode: its patients' data and agenda can be read, not changed. */
    READ_ONLY_ESTABLISHMENT,
    /** Lift an establishment's read-only mode. */
    LIFT_READ_ONLY;

    /** Whether the action is about an establishment (its target is an establishment's id). */
    public boolean onEstablishment() {
        return this == END_ESTABLISHMENT_SESSIONS
                || this == ROTATE_ESTABLISHMENT_KEYS
                || this == READ_ONLY_ESTABLISHMENT
                || this == LIFT_READ_ONLY;
    }

    /** As the API and the pages name it: {@code suspend-program}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
