package org.carnet.breach;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.access.ReadOnlyEstablishments;
import org.carnet.breach.internal.IncidentStore;
import org.carnet.clients.ClientDecision;
import org.carnet.clients.Clients;
import org.carnet.directory.Directory;
import org.carnet.identity.AccountContainment;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The security officer's incidents: the list, one incident with its timeline, and containment in one
 * action each, recorded on the timeline with the officer who took it.
 */
@Service
public class Incidents {

    static final int LIST_LIMIT = 200;
    /** How breach detection names an export as an incident's subject. */
    static final String EXPORT_SUBJECT = "export:";

    private final IncidentStore store;
    private final Clients clients;
    private final AccountContainment accounts;
    private final ReadOnlyEstablishments readOnly;
    private final EstablishmentKeyRotations keyRotations;
    private final Directory directory;
    private final Clock clock;

    Incidents(
            IncidentStore store,
            Clients clients,
            AccountContainment accounts,
            ReadOnlyEstablishments readOnly,
            EstablishmentKeyRotations keyRotations,
            Directory directory,
            Clock clock) {
        this.keyRotations = keyRotations;
        this.store = store;
        this.clients = clients;
        this.accounts = accounts;
        this.readOnly = readOnly;
        this.directory = directory;
        this.clock = clock;
    }

    /** Newest first, at most 200; only the open ones if asked. */
    @Transactional(readOnly = true)
    public List<IncidentView> list(Actor.Person officer, boolean openOnly) {
        require(officer);
        return store.list(openOnly, LIST_LIMIT).stream().map(this::view).toList();
    }

    @Transactional(readOnly = true)
    public IncidentView get(Actor.Person officer, UUID id) {
        require(officer);
        return store.find(id).map(this::view).orElseThrow(() -> new NotFoundException("incident"));
    }

    /**
     * The incident, provided it concerns the establishment.
     *
     * @throws NotFoundException when there is no such incident, or it does not concern the establishment
     */
    @Transactional(readOnly = true)
    public IncidentView concerning(Actor.Person officer, UUID id, UUID establishment) {
        IncidentView incident = get(officer, id);
        if (!incident.establishments().contains(establishment)) {
            throw new NotFoundException("establishment");
        }
        return incident;
    }

    /**
     * Takes one containment action against the incident's subject, or the target named.
     *
     * @param target the program, login or establishment acted on; {@code null}: the incident's own program
     *     or login, or its only establishment
     * @throws NotFoundException when there is no such incident, or no such program, login or establishment
     * @throws ConflictException when the action does not apply (a program already suspended, an
     *     establishment already read-only or not read-only to lift, an incident about no program nor login,
     *     or not about exactly one establishment, and no target given)
     */
    @Transactional
    public IncidentView contain(Actor.Person officer, UUID id, Containment action, @Nullable UUID target) {
        require(officer);
        IncidentStore.Stored incident = store.find(id).orElseThrow(() -> new NotFoundException("incident"));
        String done;
        switch (action) {
            case SUSPEND_PROGRAM -> {
                UUID program = orSubject(target, incident.clientId(), "program");
                clients.decide(officer, program, ClientDecision.SUSPEND);
                done = "program " + program + " suspended; its tokens revoked";
            }
            case LOCK_ACCOUNT -> {
                UUID login = orSubject(target, incident.userId(), "account");
                accounts.lock(login);
                done = "account " + login + " locked; its sessions and tokens ended" + programTokens(officer, login);
            }
            case LIFT_LOCK -> {
                UUID login = orSubject(target, incident.userId(), "account");
                if (!accounts.unlock(login)) {
                    throw new ConflictException("This account is not locked.");
                }
                done = "account " + login + " unlocked: it may sign in again";
            }
            case END_SESSIONS -> {
                UUID login = orSubject(target, incident.userId(), "account");
                accounts.endAll(login);
                done = "every session and token of account " + login + " ended" + programTokens(officer, login);
            }
            case REQUIRE_RENEWAL -> {
                UUID login = orSubject(target, incident.userId(), "account");
                accounts.requireRenewal(login);
                done = "account " + login + " must renew its password and second factor; its sessions, tokens and"
                        + " passkeys ended" + programTokens(officer, login);
            }
            case END_ESTABLISHMENT_SESSIONS -> {
                UUID establishment = establishment(target, id);
                int logins = accounts.endAllOfEstablishment(establishment);
                int tokens = clients.revokeTokensOf(officer, establishment);
                done = "every session and token of the " + logins + " members of establishment " + establishment
                        + " ended, and " + tokens + " tokens of its programs revoked; patients' sessions left alone";
            }
            case ROTATE_ESTABLISHMENT_KEYS -> {
                UUID establishment = establishment(target, id);
                keyRotations.start(id, officer.userId(), establishment);
                done = "rotation of establishment " + establishment + "'s data key started: every value sealed for it"
                        + " is re-sealed under a new version, in the background";
            }
            case READ_ONLY_ESTABLISHMENT -> {
                UUID establishment = establishment(target, id);
                if (!readOnly.set(establishment, officer.userId(), clock.instant())) {
                    throw new ConflictException("This establishment is already read-only.");
                }
                done = "establishment " + establishment + " read-only: its patients' data and agenda can be read,"
                        + " not changed";
            }
            case LIFT_READ_ONLY -> {
                UUID establishment = establishment(target, id);
                if (!readOnly.lift(establishment)) {
                    throw new ConflictException("This establishment is not read-only.");
                }
                done = "establishment " + establishment + " writable again";
            }
            default -> throw new IllegalStateException("unknown containment");
        }
        store.append(id, clock.instant(), "CONTAINMENT", action.code(), officer.userId(), done);
        return view(Objects.requireNonNull(store.find(id).orElse(null)));
    }

    /** The incident as the officer sees it (callers in this module have checked the officer). */
    IncidentView view(IncidentStore.Stored incident) {
        return new IncidentView(
                incident.id(),
                incident.status(),
                incident.severity(),
                incident.rules(),
                incident.awareAt(),
                incident.notifyBy(),
                store.establishments(incident.id()),
                incident.clientId(),
                incident.userId(),
                exportOf(incident.subject()),
                incident.patientsRead() == null ? 0 : incident.patientsRead(),
                store.timeline(incident.id()));
    }

    /**
     * The establishment named, which the incident concerns or the directory knows, or else the incident's
     * only one.
     */
    private UUID establishment(@Nullable UUID target, UUID incident) {
        List<UUID> concerned = store.establishments(incident);
        if (target != null) {
            if (!concerned.contains(target) && directory.establishment(target).isEmpty()) {
                throw new NotFoundException("establishment");
            }
            return target;
        }
        if (concerned.size() != 1) {
            throw new ConflictException("This incident does not concern exactly one establishment; say which.");
        }
        return concerned.get(0);
    }

    /** Ends the tokens programs hold to act for the login; how many, in words for the timeline. */
    private String programTokens(Actor.Person officer, UUID login) {
        int revoked = clients.revokeTokensActingFor(officer, login);
        return revoked == 0 ? "" : ", and " + revoked + " tokens of programs acting for it";
    }

    /** The export an incident's subject names ({@code export:<id>}), if it names one. */
    static @Nullable UUID exportOf(String subject) {
        return subject.startsWith(EXPORT_SUBJECT) ? UUID.fromString(subject.substring(EXPORT_SUBJECT.length())) : null;
    }

    private static UUID orSubject(@Nullable UUID target, @Nullable UUID subject, String what) {
        if (target != null) {
            return target;
        }
        if (subject == null) {
            throw new ConflictException("This incident names no " + what + "; say which.");
        }
        return subject;
    }

    /** The caller is the platform's security officer, or is refused. */
    static void require(Actor.Person actor) {
        if (actor.role() != Role.SECURITY_OFFICER) {
            throw new AccessDeniedException("Requires " + Role.SECURITY_OFFICER);
        }
    }
}
