package org.carnet.breach.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.AuditSearch;
import org.carnet.audit.AuditTrail;
import org.carnet.breach.BreachProperties;
import org.carnet.breach.Containment;
import org.carnet.breach.IncidentOpened;
import org.carnet.clients.Clients;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a rule hit into an incident: opens one for its subject or extends the open one, and, for a
 * program caught by a data-access rule, suspends it at once and lists from the access log what it read.
 */
@Component
public class IncidentRecorder {

    /** How far back the access log is listed for an incident's subject. */
    static final Duration SCOPE_LOOKBACK = Duration.ofDays(1);
    /** At most this many access log entries are listed per establishment. */
    static final int SCOPE_LIMIT = 100_000;

    private final IncidentStore store;
    private final Clients clients;
    private final AuditTrail trail;
    private final ApplicationEventPublisher events;
    private final BreachProperties properties;
    private final Clock clock;
    private final TransactionTemplate transactions;

    IncidentRecorder(
            IncidentStore store,
            Clients clients,
            AuditTrail trail,
            ApplicationEventPublisher events,
            BreachProperties properties,
            Clock clock,
            PlatformTransactionManager transactionManager) {
        this.store = store;
        this.clients = clients;
        this.trail = trail;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
        // Its own transaction whoever calls: a verification may run inside a read-only one.
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Records the hit, and suspends the program it names, in one transaction; then, in a second one, lists
     * the subject's scope and announces a new incident. The listing waits for the suspension to commit:
     * until then every request of the program still passes its token check, and each one that commits
     * after the listing would be missing from it. Once committed, only a request already past its check
     * can still be (docs/breach-response.md). Returns the incident's id.
     */
    public UUID record(RuleHit hit) {
        Recorded recorded = Objects.requireNonNull(
                transactions.execute(status -> {
                    IncidentStore.Stored open = store.openAbout(hit.subject()).orElse(null);
                    IncidentStore.Stored incident = open != null ? open : store.open(hit);
                    if (open != null) {
                        store.extend(open, hit);
                    }
                    store.append(incident.id(), hit.at(), "RULE", hit.rule().code(), null, hit.detail());
                    store.concern(incident.id(), hit.establishments());
                    UUID client = hit.clientId();
                    if (client != null && hit.rule().aboutDataAccess() && properties.suspendPrograms()) {
                        if (clients.suspendAutomatically(client)) {
                            store.append(
                                    incident.id(),
                                    clock.instant(),
                                    "CONTAINMENT",
                                    Containment.SUSPEND_PROGRAM.code(),
                                    null,
                                    "program " + client + " suspended automatically; its tokens revoked");
                        }
                    }
                    UUID actor = client != null ? client : hit.userId();
                    boolean listScope =
                            actor != null && hit.rule().aboutDataAccess() && incident.patientsRead() == null;
                    return new Recorded(incident, open == null, listScope ? actor : null);
                }),
                "the transaction's result");
        IncidentStore.Stored incident = recorded.incident();
        transactions.executeWithoutResult(status -> {
            UUID actor = recorded.scopeOf();
            if (actor != null) {
                listScope(incident.id(), actor, hit.establishments());
            }
            if (recorded.opened()) {
                events.publishEvent(new IncidentOpened(
                        incident.id(),
                        incident.severity(),
                        hit.rule().code(),
                        incident.awareAt(),
                        incident.notifyBy(),
                        store.establishments(incident.id())));
            }
        });
        return incident.id();
    }

    /** What the first transaction leaves the second: the incident, whether it is new, whose scope to list. */
    private record Recorded(
            IncidentStore.Stored incident,
            boolean opened,
            @Nullable UUID scopeOf) {}

    /**
     * Everything the actor read in the establishments concerned over the past day, from the access log:
     * each patient with the fields read, on the timeline (sealed); the count on the incident.
     */
    private void listScope(UUID incident, UUID actor, Set<UUID> establishments) {
        Instant now = clock.instant();
        Map<UUID, Set<String>> read = new LinkedHashMap<>();
        int entries = 0;
        for (UUID establishment : new TreeSet<>(establishments)) {
            for (AuditEntry entry : trail.ofEstablishment(
                    establishment, new AuditSearch(null, actor, now.minus(SCOPE_LOOKBACK), null, null), SCOPE_LIMIT)) {
                if (entry.outcome() == AccessEvent.Outcome.ALLOWED && entry.patientId() != null) {
                    entries++;
                    read.computeIfAbsent(entry.patientId(), p -> new TreeSet<>())
                            .addAll(entry.fields());
                }
            }
        }
        StringBuilder details = new StringBuilder()
                .append(read.size())
                .append(" distinct patients in ")
                .append(entries)
                .append(" allowed accesses over the past day, from the access log:");
        read.forEach((patient, fields) ->
                details.append('\n').append(patient).append(": ").append(String.join(",", fields)));
        store.append(incident, now, "SCOPE", "access-log", null, details.toString());
        store.patientsRead(incident, read.size());
    }
}
