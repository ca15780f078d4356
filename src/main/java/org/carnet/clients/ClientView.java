package org.carnet.clients;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A program's registration as its administrator and the security officers see it.
 *
 * @param clientId the OAuth2 {@code client_id}, also {@code iss} and {@code sub} of its assertions
 * @param redirectUris where it may receive an authorization code (a program acting for professionals)
 * @param keyIds the {@code kid} of each registered public key (none when they are at {@code jwksUri})
 * @param jwksUri where the program publishes its public keys, when it registered a URL instead of keys
 * @param decidedBy the security officer who last changed its state, if any
 * @param tokensIssued how many access tokens it obtained
 * @param lastTokenAt when it last obtained one
 */
public record ClientView(
        UUID clientId,
        UUID establishmentId,
        String name,
        String purpose,
        List<String> scopes,
        List<String> redirectUris,
        List<String> keyIds,
        @Nullable URI jwksUri,
        ClientStatus status,
        UUID requestedBy,
        Instant requestedAt,
        @Nullable UUID decidedBy,
        @Nullable Instant decidedAt,
        long tokensIssued,
        @Nullable Instant lastTokenAt) {

    static ClientView of(ThirdPartyClient client) {
        return new ClientView(
                client.id(),
                client.establishment().value(),
                client.program(),
                client.purpose(),
                client.scopeNames(),
                client.redirectUris(),
                client.keys().keyIds(),
                client.keys().uri(),
                client.status(),
                client.requestedBy(),
                client.requestedAt(),
                client.decidedBy(),
                client.decidedAt(),
                client.tokensIssued(),
                client.lastUsedAt());
    }
}
