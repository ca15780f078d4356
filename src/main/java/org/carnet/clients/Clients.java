package org.carnet.clients;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.internal.ClientStore;
import org.carnet.clients.internal.IssuedTokens;
import org.carnet.clients.internal.KeyServers;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registering third-party programs, a two-person act: an establishment's administrator requests one
 * for their own establishment; a security officer (never the requester) approves or refuses it, and
 * later suspends, reinstates or revokes it. Every change is recorded (who, when) and published as
 * {@link ClientStateChanged}; suspending or revoking also revokes the program's live tokens.
 */
@Service
public class Clients {

    static final int LIST_LIMIT = 200;
    public static final int MAX_SCOPES = 20;

    /**
     * Who {@link ClientStateChanged#changedBy()} names when breach detection suspended a program itself
     * (never a login's id).
     */
    public static final UUID BREACH_DETECTION = new UUID(0L, 0L);

    private final ClientStore store;
    private final KeyServers keyServers;
    private final IssuedTokens tokens;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Clients(
            ClientStore store,
            KeyServers keyServers,
            IssuedTokens tokens,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.keyServers = keyServers;
        this.tokens = tokens;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The administrator asks for a program of their establishment; it waits for a security officer. The
     * request is checked before the transaction: a JWKS URL's host is looked up in the DNS, which may take
     * seconds, and must not hold a database connection meanwhile.
     */
    public ClientView request(Actor.Person admin, NewClient request) {
        require(admin, Role.ESTABLISHMENT_ADMIN);
        EstablishmentId establishment = EstablishmentId.of(admin.professionalEstablishmentId());
        if (request.name().isBlank()) {
            throw new InvalidRequestException("name", "must name the program");
        }
        if (request.purpose().isBlank()) {
            throw new InvalidRequestException("purpose", "must say what the program does");
        }
        if (request.scopes().isEmpty() || request.scopes().size() > MAX_SCOPES) {
            throw new InvalidRequestException("scopes", "between 1 and " + MAX_SCOPES + " scopes");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<SmartScope> scopes = request.scopes().stream()
                .map(scope -> SmartScope.parse(scope, "scopes"))
                .filter(scope -> seen.add(scope.context() + "/" + scope.resource()))
                .toList();
        if (scopes.size() != request.scopes().size()) {
            throw new InvalidRequestException("scopes", "one scope per resource: list its permissions together");
        }
        List<String> redirectUris = RedirectUris.checked(request.redirectUris());
        boolean forPeople = scopes.stream().anyMatch(scope -> scope.context().equals("user"));
        if (forPeople && redirectUris.isEmpty()) {
            throw new InvalidRequestException(
                    "redirectUris", "user/ scopes need at least one redirect URI (the authorization code flow)");
        }
        if (!forPeople && !redirectUris.isEmpty()) {
            throw new InvalidRequestException("redirectUris", "redirect URIs only serve a program with user/ scopes");
        }
        ProgramKeys keys = keys(request);
        Instant now = clock.instant();
        ThirdPartyClient client = new ThirdPartyClient(
                UUID.randomUUID(),
                establishment,
                request.name().strip(),
                request.purpose().strip(),
                scopes,
                redirectUris,
                keys,
                ClientStatus.PENDING,
                admin.userId(),
                admin.subjectId(),
                now,
                null,
                null,
                0,
                null);
        transactions.executeWithoutResult(status -> {
            store.insert(client);
            store.recordChange(establishment, client.id(), null, ClientStatus.PENDING, admin.userId(), now);
            publish(client, admin.userId(), now);
        });
        return ClientView.of(client);
    }

    /** The program's keys: registered as a JWK Set, or the JWKS URL where it publishes them; one of the two. */
    private ProgramKeys keys(NewClient request) {
        Map<String, Object> jwks = request.jwks();
        String jwksUri = request.jwksUri();
        if (jwks != null && jwksUri != null) {
            throw new InvalidRequestException("jwksUri", "give the program's keys as jwks or as jwksUri, not both");
        }
        if (jwksUri != null) {
            return ProgramKeys.at(keyServers.checked(jwksUri.strip()));
        }
        if (jwks == null) {
            throw new InvalidRequestException("jwks", "give the program's public keys: jwks (a JWK Set) or jwksUri");
        }
        return ProgramKeys.of(jwks);
    }

    /** The administrator's establishment's programs, or every program for a security officer; newest first. */
    @Transactional(readOnly = true)
    public List<ClientView> list(Actor.Person actor) {
        UUID establishment = actor.role() == Role.SECURITY_OFFICER ? null : adminEstablishment(actor);
        return store.list(establishment, LIST_LIMIT).stream()
                .map(ClientView::of)
                .toList();
    }

    /** One program, to its establishment's administrator (another's is not found) or a security officer. */
    @Transactional(readOnly = true)
    public ClientView get(Actor.Person actor, UUID clientId) {
        ThirdPartyClient client = store.find(clientId).orElseThrow(() -> new NotFoundException("client"));
        if (actor.role() != Role.SECURITY_OFFICER
                && !client.establishment().value().equals(adminEstablishment(actor))) {
            throw new NotFoundException("client");
        }
        return ClientView.of(client);
    }

    /**
     * The names of these programs (a program's name is not personal), by client id; unknown ids are left
     * out. For the access log, which names the program behind each of its accesses.
     */
    @Transactional(readOnly = true)
    public java.util.Map<UUID, String> names(java.util.Collection<UUID> clientIds) {
        java.util.Map<UUID, String> names = new java.util.HashMap<>();
        for (UUID id : new LinkedHashSet<>(clientIds)) {
            store.find(id).ifPresent(client -> names.put(id, client.program()));
        }
        return names;
    }

    /** The recorded state changes of one program, oldest first (security officers). */
    @Transactional(readOnly = true)
    public List<ClientStore.Change> history(Actor.Person officer, UUID clientId) {
        require(officer, Role.SECURITY_OFFICER);
        if (store.find(clientId).isEmpty()) {
            throw new NotFoundException("client");
        }
        return store.changes(clientId);
    }

    /**
     * A security officer's decision on a program.
     *
     * @throws org.carnet.shared.ConflictException when the decision is not allowed from its state, or the
     *     officer requested it
     */
    @Transactional
    public ClientView decide(Actor.Person officer, UUID clientId, ClientDecision decision) {
        require(officer, Role.SECURITY_OFFICER);
        ThirdPartyClient client = store.findForUpdate(clientId).orElseThrow(() -> new NotFoundException("client"));
        Instant now = clock.instant();
        ThirdPartyClient decided = client.decide(decision, officer.userId(), now);
        if (!store.decide(decided, client.status())) {
            throw new org.carnet.shared.ConflictException("The program's state changed meanwhile.");
        }
        if (decided.status() == ClientStatus.SUSPENDED || decided.status() == ClientStatus.REVOKED) {
            tokens.revokeAllOf(clientId, now);
        }
        publish(decided, officer.userId(), now);
        return ClientView.of(decided);
    }

    /**
     * A security officer ends every live token of every program of an establishment (an incident's
     * containment); the programs stay {@code ACTIVE} and may get new tokens. Every node refuses a revoked
     * token at its next use: tokens are checked in the database.
     *
     * @return how many tokens were revoked
     */
    @Transactional
    public int revokeTokensOf(Actor.Person officer, UUID establishmentId) {
        require(officer, Role.SECURITY_OFFICER);
        return tokens.revokeAllOfEstablishment(establishmentId, clock.instant());
    }

    /**
     * A security officer ends every live token that programs hold to act for one login (an incident's
     * containment of that account); the programs stay {@code ACTIVE}, and the person may authorize them
     * again once they may sign in.
     *
     * @return how many tokens were revoked
     */
    @Transactional
    public int revokeTokensActingFor(Actor.Person officer, UUID userId) {
        require(officer, Role.SECURITY_OFFICER);
        return tokens.revokeAllActingFor(userId, clock.instant());
    }

    /**
     * Breach detection suspends an {@code ACTIVE} program on its own, at once: its tokens are revoked in
     * the same transaction, the change is recorded as made by {@link #BREACH_DETECTION} and published.
     *
     * @return whether it was suspended now ({@code false}: not found, or not {@code ACTIVE} any more)
     */
    @Transactional
    public boolean suspendAutomatically(UUID clientId) {
        ThirdPartyClient client = store.findForUpdate(clientId).orElse(null);
        if (client == null || !ClientDecision.SUSPEND.allowedFrom(client.status())) {
            return false;
        }
        Instant now = clock.instant();
        ThirdPartyClient suspended = client.decide(ClientDecision.SUSPEND, BREACH_DETECTION, now);
        if (!store.decide(suspended, client.status())) {
            return false;
        }
        tokens.revokeAllOf(clientId, now);
        publish(suspended, BREACH_DETECTION, now);
        return true;
    }

    private void publish(ThirdPartyClient client, UUID by, Instant at) {
        events.publishEvent(new ClientStateChanged(
                client.id(),
                client.establishment().value(),
                client.program(),
                client.status(),
                client.requestedBySubject(),
                by,
                at));
    }

    private static UUID adminEstablishment(Actor.Person actor) {
        require(actor, Role.ESTABLISHMENT_ADMIN);
        return actor.professionalEstablishmentId();
    }

    private static void require(Actor.Person actor, Role role) {
        if (actor.role() != role) {
            throw new AccessDeniedException("Requires " + role);
        }
    }
}
