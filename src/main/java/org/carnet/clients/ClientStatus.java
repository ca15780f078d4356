package org.carnet.clients;

/**
 * Where a program's registration stands. Only an {@link #ACTIVE} program gets tokens; a suspended
 * one can be reinstated; refused and revoked are final.
 */
public enum ClientStatus {
    /** Requested by its establishment's administrator, waiting for a security officer. */
    PENDING,
    /** Approved: may obtain tokens. */
    ACTIVE,
    /** Stopped for now: no token works, none is issued. */
    SUSPENDED,
    /** Not approved. Final. */
    REFUSED,
    /** Stopped for good. Final. */
    REVOKED
}
