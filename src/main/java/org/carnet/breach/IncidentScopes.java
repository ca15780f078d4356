package org.carnet.breach;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditBreak;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.AuditSearch;
import org.carnet.audit.AuditTrail;
import org.carnet.audit.AuditVerification;
import org.carnet.audit.AuditVerifier;
import org.carnet.audit.RecordedActor;
import org.carnet.breach.IncidentScope.EstablishmentScope;
import org.carnet.breach.IncidentScope.Exposure;
import org.carnet.breach.IncidentScope.FieldExposure;
import org.carnet.breach.IncidentScope.PatientExposure;
import org.carnet.breach.internal.IncidentStore;
import org.carnet.exports.Exports;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.DataCategory;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An incident's exact scope (issue 17, item 4), from the access log: the chains of the establishments
 * concerned are verified first, then every allowed access of the incident's program or account in the
 * window is read from them and summed up per establishment, patient and field. Reading the log for this is
 * itself an access, recorded through {@link AccessDecision} with the purpose {@code investigation}.
 */
@Service
public class IncidentScopes {

    /** The default window opens this long before the platform became aware. */
    public static final Duration LOOKBACK = Duration.ofDays(1);
    /** At most this long a window. */
    static final Duration LONGEST = Duration.ofDays(92);
    /**
     * An export's reads are looked for from its download on, this long: a download streams its whole archive
     * at once (150,000 patients take minutes), and an hour bounds it with room to spare.
     */
    static final Duration EXPORT_DOWNLOAD = Duration.ofHours(1);
    /** The platform job that reads an establishment's files while its export downloads, as the log names it. */
    static final String EXPORT_JOB = "export";

    /** The categories that name or describe a person: served in clear, they make the patient's exposure real. */
    private static final Set<DataCategory> IDENTIFYING =
            EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.MEDICAL);

    private final IncidentStore store;
    private final AuditVerifier verifier;
    private final AuditTrail trail;
    private final AccessDecision access;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final Exports exports;

    IncidentScopes(
            IncidentStore store,
            AuditVerifier verifier,
            AuditTrail trail,
            AccessDecision access,
            Clock clock,
            PlatformTransactionManager transactionManager,
            Exports exports) {
        this.exports = exports;
        this.store = store;
        this.verifier = verifier;
        this.trail = trail;
        this.access = access;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * The scope of the incident's program or account over a window.
     *
     * @param from inclusive; {@code null}: a day before the platform became aware
     * @param to exclusive; {@code null}: now
     * @throws NotFoundException when there is no such incident
     * @throws ConflictException when the incident names no program, account nor export (a burst of failed
     *     sign-ins from an address reads nobody's data)
     * @throws InvalidRequestException when the window is empty, reversed or longer than 92 days
     */
    public IncidentScope scope(Actor.Person officer, UUID incidentId, @Nullable Instant from, @Nullable Instant to) {
        Incidents.require(officer);
        IncidentStore.Stored incident = store.find(incidentId).orElseThrow(() -> new NotFoundException("incident"));
        UUID subject = incident.clientId() != null ? incident.clientId() : incident.userId();
        UUID export = Incidents.exportOf(incident.subject());
        if (subject == null && export == null) {
            throw new ConflictException("This incident names no program nor account whose accesses could be scoped.");
        }
        Instant now = clock.instant();
        Instant start = from != null ? from : incident.awareAt().minus(LOOKBACK);
        Instant end = to != null ? to : now;
        // An export's scope is what it held: the reads its download made, by the platform's export job.
        java.util.function.Predicate<AuditEntry> counted = entry -> true;
        if (export != null) {
            Instant downloaded = exports.get(officer, export).downloadedAt();
            start = from != null ? from : downloaded != null ? downloaded : incident.awareAt();
            end = to != null ? to : downloaded != null ? downloaded.plus(EXPORT_DOWNLOAD) : incident.awareAt();
            if (downloaded == null && from == null && to == null) {
                end = start.plusNanos(1000); // never downloaded: nothing left through it
            }
            counted = entry -> entry.actor().type() == RecordedActor.Type.SYSTEM
                    && EXPORT_JOB.equals(entry.actor().role())
                    && entry.purpose().equals(Purpose.EXPORT.code())
                    && entry.action() == Action.READ;
        }
        if (!start.isBefore(end)) {
            throw new InvalidRequestException("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(LONGEST) > 0) {
            throw new InvalidRequestException("to", "at most 92 days after from");
        }
        Set<UUID> establishments = new TreeSet<>(store.establishments(incidentId));
        // The chains first: an entry counts as verified only if its chain verified just before it was read.
        AuditVerification verification = verifier.verifyChains(establishments);
        Set<UUID> broken = new HashSet<>();
        for (AuditBreak b : verification.breaks()) {
            broken.add(b.chainKey());
        }
        Tally tally = new Tally();
        java.util.function.Predicate<AuditEntry> read = counted;
        Instant first = start;
        Instant last = end;
        transactions.executeWithoutResult(status -> {
            for (UUID establishment : establishments) {
                access.require(new AccessRequest(
                        officer,
                        null,
                        EstablishmentId.of(establishment),
                        Action.READ,
                        Resource.ACCESS_LOG,
                        Field.LOG_ENTRY,
                        Purpose.INVESTIGATION));
                trail.exportEstablishment(establishment, new AuditSearch(null, subject, first, last, null), entry -> {
                    if (read.test(entry)) {
                        tally.add(establishment, entry, broken.contains(establishment));
                    }
                });
            }
        });
        return new IncidentScope(
                incidentId,
                incident.clientId(),
                incident.userId(),
                start,
                end,
                now,
                new IncidentScope.Verification(
                        verification.chains(),
                        verification.entriesChecked(),
                        verification.intact(),
                        List.copyOf(new TreeSet<>(broken)),
                        verification.witnessed()),
                tally.establishments(establishments),
                tally.patients());
    }

    /** The accesses read, summed per establishment, patient and field. */
    private static final class Tally {

        /** establishment → patient → field code → accesses */
        private final Map<UUID, Map<UUID, Map<String, Integer>>> fields = new TreeMap<>();

        private final Map<UUID, Integer> records = new TreeMap<>();
        private final Map<UUID, Integer> unverified = new TreeMap<>();

        void add(UUID establishment, AuditEntry entry, boolean chainBroken) {
            UUID patient = entry.patientId();
            if (entry.outcome() != AccessEvent.Outcome.ALLOWED || patient == null) {
                return;
            }
            records.merge(establishment, 1, Integer::sum);
            if (chainBroken || entry.position() == null) {
                unverified.merge(establishment, 1, Integer::sum);
            }
            Map<String, Integer> ofPatient = fields.computeIfAbsent(establishment, e -> new TreeMap<>())
                    .computeIfAbsent(patient, p -> new TreeMap<>());
            for (String field : entry.fields()) {
                ofPatient.merge(field, 1, Integer::sum);
            }
        }

        List<EstablishmentScope> establishments(Set<UUID> concerned) {
            List<EstablishmentScope> result = new ArrayList<>();
            for (UUID establishment : concerned) {
                Map<UUID, Map<String, Integer>> patients = fields.getOrDefault(establishment, Map.of());
                Set<DataCategory> categories = EnumSet.noneOf(DataCategory.class);
                int intelligible = 0;
                for (Map<String, Integer> read : patients.values()) {
                    read.keySet().forEach(code -> categories.add(categoryOf(code)));
                    if (exposure(read.keySet()) == Exposure.INTELLIGIBLE) {
                        intelligible++;
                    }
                }
                result.add(new EstablishmentScope(
                        establishment,
                        patients.size(),
                        records.getOrDefault(establishment, 0),
                        List.copyOf(categories),
                        intelligible,
                        patients.size() - intelligible,
                        unverified.getOrDefault(establishment, 0)));
            }
            return result;
        }

        List<PatientExposure> patients() {
            List<PatientExposure> result = new ArrayList<>();
            fields.forEach((establishment, patients) -> patients.forEach((patient, read) -> {
                List<FieldExposure> exposures = new ArrayList<>();
                read.forEach((code, accesses) ->
                        exposures.add(new FieldExposure(code, categoryOf(code), intelligible(code), accesses)));
                result.add(new PatientExposure(patient, establishment, exposures, exposure(read.keySet())));
            }));
            return result;
        }
    }

    /**
     * Intelligible when something that names or describes the patient left in clear: agenda data alone is
     * times and statuses under a pseudonym, ciphertext is nothing to whoever cannot open it.
     */
    static Exposure exposure(Set<String> codes) {
        for (String code : codes) {
            if (intelligible(code) && IDENTIFYING.contains(categoryOf(code))) {
                return Exposure.INTELLIGIBLE;
            }
        }
        return Exposure.UNINTELLIGIBLE;
    }

    /** A field the log names that Carnet does not know is taken at its worst: intelligible, identifying. */
    static boolean intelligible(String code) {
        return Field.ofCode(code).map(f -> !f.servedAsCiphertext()).orElse(true);
    }

    static DataCategory categoryOf(String code) {
        return Field.ofCode(code).map(Field::category).orElse(DataCategory.IDENTITY);
    }
}
