package org.carnet.fhir.web;

import org.carnet.clients.ClientScopes;
import org.carnet.shared.Actor;

/**
 * The program calling a resource that is not public, and the scope check that comes before any query:
 * a request outside the token's scopes is refused (403) whether or not what it names exists.
 */
final class ProgramCalls {

    private ProgramCalls() {}

    /** The calling program, if its token holds {@code scope}; else 403 before anything is looked up. */
    static Actor.Client requiring(String scope) {
        // The /fhir chain lets no request without a valid token reach a non-public resource.
        Actor.Client client = ClientScopes.current().orElseThrow(Refusals::forbidden);
        if (!ClientScopes.holds(client, scope)) {
            throw Refusals.forbidden();
        }
        return client;
    }

    /** Whether the program also holds this (Carnet) scope. */
    static boolean holds(Actor.Client client, String scope) {
        return ClientScopes.holds(client, scope);
    }
}
