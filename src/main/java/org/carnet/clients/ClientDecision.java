package org.carnet.clients;

import java.util.Locale;
import java.util.Set;

/** What a security officer does to a program's registration, and from which states it is allowed. */
public enum ClientDecision {
    APPROVE(ClientStatus.ACTIVE, Set.of(ClientStatus.PENDING)),
    REFUSE(ClientStatus.REFUSED, Set.of(ClientStatus.PENDING)),
    SUSPEND(ClientStatus.SUSPENDED, Set.of(ClientStatus.ACTIVE)),
    REINSTATE(ClientStatus.ACTIVE, Set.of(ClientStatus.SUSPENDED)),
    REVOKE(ClientStatus.REVOKED, Set.of(ClientStatus.ACTIVE, ClientStatus.SUSPENDED));

    private final ClientStatus to;
    private final Set<ClientStatus> from;

    ClientDecision(ClientStatus to, Set<ClientStatus> from) {
        this.to = to;
        this.from = from;
    }

    /** The state it leads to. */
    public ClientStatus to() {
        return to;
    }

    /** Whether it may be taken from {@code status}. */
    public boolean allowedFrom(ClientStatus status) {
        return from.contains(status);
    }

    /** As in the API's path ({@code approve}, {@code suspend}…). */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }
}
