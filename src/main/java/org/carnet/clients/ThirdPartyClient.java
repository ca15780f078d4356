package org.carnet.clients;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.shared.ConflictException;
import org.carnet.shared.EstablishmentId;
import org.jspecify.annotations.Nullable;

/**
 * A program registered by one establishment: what it is for, the scopes it was granted, its public
 * keys, and where its registration stands. Its state changes only through {@link #decide}, which
 * refuses a transition the registration does not allow and the requester deciding on their own request.
 */
public record ThirdPartyClient(
        UUID id,
        EstablishmentId establishment,
        String program,
        String purpose,
        List<SmartScope> scopes,
        List<String> redirectUris,
        ProgramKeys keys,
        ClientStatus status,
        UUID requestedBy,
        UUID requestedBySubject,
        Instant requestedAt,
        @Nullable UUID decidedBy,
        @Nullable Instant decidedAt,
        long tokensIssued,
        @Nullable Instant lastUsedAt) {

    public ThirdPartyClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(establishment, "establishment");
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
    }

    /** Whether it may act for a signed-in professional: {@code user/} scopes and the redirect URIs to come back to. */
    public boolean actsForPeople() {
        return !redirectUris.isEmpty()
                && scopes.stream().anyMatch(scope -> scope.context().equals("user"));
    }

    /**
     * The registration after an officer's decision.
     *
     * @throws ConflictException when the decision is not allowed from the current state, or the officer is the requester
     */
    public ThirdPartyClient decide(ClientDecision decision, UUID officer, Instant at) {
        if (officer.equals(requestedBy)) {
            throw new ConflictException(
                    "Two-person rule: a program is decided on by someone other than its requester.");
        }
        if (!decision.allowedFrom(status)) {
            throw new ConflictException("A " + status + " program cannot be " + decision.path() + "d.");
        }
        return new ThirdPartyClient(
                id,
                establishment,
                program,
                purpose,
                scopes,
                redirectUris,
                keys,
                decision.to(),
                requestedBy,
                requestedBySubject,
                requestedAt,
                officer,
                at,
                tokensIssued,
                lastUsedAt);
    }

    /** The scopes as space-separated text, as OAuth2 writes them. */
    public List<String> scopeNames() {
        return scopes.stream().map(SmartScope::toString).toList();
    }

    @Override
    public String toString() {
        return "ThirdPartyClient[" + id + ", " + status + "]";
    }
}
