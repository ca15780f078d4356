package org.carnet.breach;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.carnet.breach.internal.IncidentStore;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The internal breach register GDPR Article 33(5) requires: every incident, notified or not, with its facts
 * (the rules that fired), its effects (patients read), the remedial action taken (containment), and, per
 * establishment concerned, the decision about notifying the CNIL: notified with the authority's reference,
 * not required (unlikely to result in a risk, Article 33(1)), or still pending. Deciding and closing are the
 * security officer's, each on the incident's timeline.
 */
@Service
public class BreachRegister {

    /** The register lists at most this many incidents, newest first. */
    static final int LIMIT = 10_000;

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");

    /** A decision about notifying the supervisory authority. */
    public enum CnilDecision {
        /** Notified: the authority's acknowledgement reference is kept. */
        NOTIFIED,
        /** Not notified: the breach is unlikely to result in a risk to people (Article 33(1)). */
        NOT_REQUIRED
    }

    /**
     * One incident in the register.
     *
     * @param closedAt when the officer closed it, {@code null} while open
     * @param patientsRead distinct patients its subject read, as listed from the access log
     * @param establishments the decision per establishment concerned
     * @param measures the containment taken, dated, and the patients told
     */
    public record RegisterEntry(
            UUID incidentId,
            String status,
            Severity severity,
            List<String> rules,
            Instant awareAt,
            Instant notifyBy,
            @Nullable Instant closedAt,
            @Nullable UUID clientId,
            @Nullable UUID userId,
            int patientsRead,
            List<EstablishmentDecision> establishments,
            List<String> measures) {

        public RegisterEntry {
            rules = List.copyOf(rules);
            establishments = List.copyOf(establishments);
            measures = List.copyOf(measures);
        }
    }

    /**
     * One establishment's decision.
     *
     * @param decision {@code NOTIFIED}, {@code NOT_REQUIRED} or {@code PENDING}
     * @param late whether the CNIL was notified after the 72 hours (Article 33(1) then asks for the reasons)
     */
    public record EstablishmentDecision(
            UUID establishmentId,
            String decision,
            @Nullable Instant decidedAt,
            @Nullable String reference,
            boolean late) {}

    private final IncidentStore store;
    private final Incidents incidents;
    private final Clock clock;

    BreachRegister(IncidentStore store, Incidents incidents, Clock clock) {
        this.store = store;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** Every incident, newest first. */
    @Transactional(readOnly = true)
    public List<RegisterEntry> entries(Actor.Person officer) {
        Incidents.require(officer);
        return store.list(false, LIMIT).stream()
                .map(incident -> entry(incidents.view(incident)))
                .toList();
    }

    /**
     * Records the decision about notifying the CNIL for one establishment of the incident; a later decision
     * replaces an earlier one (both are on the timeline).
     *
     * @param reference the authority's acknowledgement reference: required when notified, refused otherwise
     * @throws NotFoundException when there is no such incident, or it does not concern the establishment
     * @throws InvalidRequestException when the reference is missing, malformed or not expected
     */
    @Transactional
    public RegisterEntry decide(
            Actor.Person officer,
            UUID incidentId,
            UUID establishmentId,
            CnilDecision decision,
            @Nullable String reference) {
        incidents.concerning(officer, incidentId, establishmentId);
        if (decision == CnilDecision.NOTIFIED
                && (reference == null || !REFERENCE.matcher(reference).matches())) {
            throw new InvalidRequestException(
                    "reference", "is the authority's acknowledgement reference: 1 to 64 letters, digits, . _ / -");
        }
        if (decision == CnilDecision.NOT_REQUIRED && reference != null) {
            throw new InvalidRequestException("reference", "is only given when the authority was notified");
        }
        Instant now = clock.instant();
        store.decide(
                incidentId,
                new IncidentStore.Notification(establishmentId, decision.name(), now, officer.userId(), reference));
        String code = decision == CnilDecision.NOTIFIED ? "article-33-notified" : "article-33-not-required";
        store.append(
                incidentId,
                now,
                "NOTIFICATION",
                code,
                officer.userId(),
                "establishment " + establishmentId + ": " + decision.name()
                        + (reference == null ? "" : " (reference " + reference + ")"));
        return entry(incidents.get(officer, incidentId));
    }

    /**
     * Closes an open incident: it leaves the console's list, stays in the register, and its drafts become
     * "complémentaire".
     *
     * @throws ConflictException when it is already closed
     */
    @Transactional
    public RegisterEntry close(Actor.Person officer, UUID incidentId) {
        incidents.get(officer, incidentId);
        Instant now = clock.instant();
        if (!store.close(incidentId, now, officer.userId())) {
            throw new ConflictException("This incident is already closed.");
        }
        store.append(incidentId, now, "CLOSURE", "closed", officer.userId(), "incident closed");
        return entry(incidents.get(officer, incidentId));
    }

    private RegisterEntry entry(IncidentView incident) {
        Map<UUID, IncidentStore.Notification> decided = store.notifications(incident.id()).stream()
                .collect(Collectors.toMap(IncidentStore.Notification::establishmentId, Function.identity()));
        List<EstablishmentDecision> decisions = new ArrayList<>();
        for (UUID establishment : incident.establishments()) {
            IncidentStore.Notification n = decided.get(establishment);
            decisions.add(
                    n == null
                            ? new EstablishmentDecision(establishment, "PENDING", null, null, false)
                            : new EstablishmentDecision(
                                    establishment,
                                    n.decision(),
                                    n.decidedAt(),
                                    n.reference(),
                                    n.decision().equals(CnilDecision.NOTIFIED.name())
                                            && n.decidedAt().isAfter(incident.notifyBy())));
        }
        List<String> measures = incident.timeline().stream()
                .filter(t -> t.kind().equals("CONTAINMENT") || t.code().equals("article-34"))
                .map(t -> t.at() + " " + t.code())
                .toList();
        return new RegisterEntry(
                incident.id(),
                incident.status(),
                incident.severity(),
                incident.rules(),
                incident.awareAt(),
                incident.notifyBy(),
                store.closedAt(incident.id()).orElse(null),
                incident.clientId(),
                incident.userId(),
                incident.patientsRead(),
                decisions,
                measures);
    }
}
