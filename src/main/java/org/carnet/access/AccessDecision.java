package org.carnet.access;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.shared.Actor;
import org.carnet.shared.DataCategory;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.EstablishmentReadOnlyException;
import org.carnet.shared.Field;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one door to patient data: decides whether an actor may touch a patient's data, and alone
 * records the outcome in the audit log and publishes {@link PatientDataAccessed}. An allowed access
 * is recorded in the caller's transaction (it commits with the access, and its event is delivered
 * once it commits); a denied one in a transaction of its own, so that the refusal stays on the log
 * although the request fails.
 *
 * <p>While an establishment is in read-only mode ({@link ReadOnlyEstablishments}), every change a person
 * or a program asks to its patients' data is refused here with {@link EstablishmentReadOnlyException}.
 */
@Service
public class AccessDecision {

    private final AuditLog audit;
    private final ObjectProvider<CareRelationships> careRelationships;
    private final ObjectProvider<PractitionerDepartures> departures;
    private final ObjectProvider<EstablishmentFiles> establishmentFiles;
    private final BreakTheGlassLog breakTheGlass;
    private final ObjectProvider<ProgramQuotas> programQuotas;
    private final ReadOnlyEstablishments readOnly;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    AccessDecision(
            AuditLog audit,
            ObjectProvider<CareRelationships> careRelationships,
            ObjectProvider<PractitionerDepartures> departures,
            ObjectProvider<EstablishmentFiles> establishmentFiles,
            BreakTheGlassLog breakTheGlass,
            ObjectProvider<ProgramQuotas> programQuotas,
            ReadOnlyEstablishments readOnly,
            ApplicationEventPublisher events,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.audit = audit;
        this.careRelationships = careRelationships;
        this.departures = departures;
        this.establishmentFiles = establishmentFiles;
        this.breakTheGlass = breakTheGlass;
        this.programQuotas = programQuotas;
        this.readOnly = readOnly;
        this.events = events;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Grants the requested fields the actor may touch (possibly none) and records both parts. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant decide(AccessRequest request) {
        refuseChangesToReadOnly(request);
        Set<DataCategory> allowed = AccessRules.allowed(request, relation(request));
        List<Field> granted = request.fields().stream()
                .filter(field -> allowed.contains(field.category()))
                .toList();
        List<Field> refused = request.fields().stream()
                .filter(field -> !granted.contains(field))
                .toList();
        if (!granted.isEmpty()) {
            admit(request);
            recordAllowed(request, granted, request.purpose());
        }
        if (!refused.isEmpty()) {
            recordDenied(request, refused);
        }
        return new Grant(request.patient(), request.establishment(), granted);
    }

    /**
     * All the requested fields or nothing.
     *
     * @throws NotFoundException when any field is refused: the actor learns nothing, not even that the record exists
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant require(AccessRequest request) {
        refuseChangesToReadOnly(request);
        Set<DataCategory> allowed = AccessRules.allowed(request, relation(request));
        boolean all = request.fields().stream().allMatch(field -> allowed.contains(field.category()));
        if (!all) {
            recordDenied(request, request.fields());
            throw new NotFoundException(request.resource().code());
        }
        admit(request);
        recordAllowed(request, request.fields(), request.purpose());
        return new Grant(request.patient(), request.establishment(), request.fields());
    }

    /**
     * Break-the-glass: a practitioner opens a file of their own establishment outside the care rule,
     * giving a reason. Allowed, recorded with the purpose {@code break-the-glass}, and flagged for the
     * establishment administrator's review.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Grant breakTheGlass(AccessRequest request, @Nullable String reason) {
        EstablishmentId establishment = request.establishment();
        if (!AccessRules.mayBreakTheGlass(request)
                || establishment == null // never: mayBreakTheGlass requires one
                || !establishmentFiles()
                        .hasFile(establishment, Objects.requireNonNull(request.patient(), "the patient"))) {
            recordDenied(request, request.fields());
            return new Grant(request.patient(), request.establishment(), List.of());
        }
        breakTheGlass.flag(request, reason);
        recordAllowed(request, request.fields(), Purpose.BREAK_THE_GLASS);
        return new Grant(request.patient(), request.establishment(), request.fields());
    }

    /**
     * A change to the data of an establishment in read-only mode is refused before anything is decided or
     * recorded: it is not an access (nothing is read or written), and counting it as a refusal would make
     * breach detection take every program syncing that establishment for an attacker.
     */
    private void refuseChangesToReadOnly(AccessRequest request) {
        EstablishmentId establishment = request.establishment();
        if (establishment != null
                && AccessRules.changesEstablishmentData(request)
                && readOnly.isReadOnly(establishment.value())) {
            throw new EstablishmentReadOnlyException();
        }
    }

    private AccessRules.Relation relation(AccessRequest request) {
        // Both rules need an establishment (they check it); the null tests only say so to NullAway.
        EstablishmentId establishment = request.establishment();
        PatientRef patient = request.patient();
        boolean care = false;
        if (AccessRules.needsCareRelationship(request) && establishment != null && patient != null) {
            Actor.Person practitioner = Objects.requireNonNull(AccessRules.person(request), "the practitioner");
            CareRelationships relationships = careRelationships.getIfAvailable();
            care = relationships != null && relationships.exists(practitioner.subjectId(), establishment, patient);
            // A practitioner who left the establishment keeps their past appointments but not their patients.
            PractitionerDepartures departed = departures.getIfAvailable();
            care = care && (departed == null || !departed.departed(practitioner.subjectId(), establishment));
        }
        boolean file = AccessRules.needsFileCheck(request)
                && establishment != null
                && patient != null
                && establishmentFiles().hasFile(establishment, patient);
        return new AccessRules.Relation(care, file);
    }

    /** A program is granted a patient only within its quota of distinct patients (issue 13, item 5). */
    private void admit(AccessRequest request) {
        ProgramQuotas quotas = programQuotas.getIfAvailable();
        if (request.actor() instanceof Actor.Client client && request.patient() != null && quotas != null) {
            quotas.admit(client, request.patient());
        }
    }

    private EstablishmentFiles establishmentFiles() {
        EstablishmentFiles files = establishmentFiles.getIfAvailable();
        return files != null ? files : (establishment, patient) -> false;
    }

    private void recordAllowed(AccessRequest request, List<Field> fields, Purpose purpose) {
        audit.record(event(request, fields, purpose, AccessEvent.Outcome.ALLOWED));
        events.publishEvent(accessed(request, fields, purpose, true));
    }

    private void recordDenied(AccessRequest request, List<Field> fields) {
        ownTransaction.executeWithoutResult(status -> {
            audit.record(event(request, fields, request.purpose(), AccessEvent.Outcome.DENIED));
            events.publishEvent(accessed(request, fields, request.purpose(), false));
        });
    }

    private PatientDataAccessed accessed(AccessRequest request, List<Field> fields, Purpose purpose, boolean allowed) {
        return new PatientDataAccessed(
                request.actor(),
                request.patient(),
                request.establishment(),
                request.action(),
                request.resource(),
                fields,
                purpose,
                allowed,
                clock.instant());
    }

    private static AccessEvent event(
            AccessRequest request, List<Field> fields, Purpose purpose, AccessEvent.Outcome outcome) {
        return new AccessEvent(
                request.actor(),
                onBehalfOf(request.actor()),
                request.patient(),
                request.establishment(),
                request.action(),
                request.resource(),
                fields,
                purpose,
                outcome);
    }

    /**
     * A patient acts for themselves; a program acting for a signed-in professional, for that
     * professional's login (the entry names both: the program as actor, the person here); professionals,
     * programs acting for themselves and jobs for no one account.
     */
    private static java.util.@Nullable UUID onBehalfOf(Actor actor) {
        if (actor instanceof Actor.Client client && client.user() != null) {
            return client.user().userId();
        }
        return actor instanceof Actor.Person person && person.role() == org.carnet.shared.Role.PATIENT
                ? person.subjectId()
                : null;
    }
}
