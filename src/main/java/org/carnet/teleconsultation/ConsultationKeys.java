package org.carnet.teleconsultation;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.directory.Departures;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.teleconsultation.internal.ConsultationStore;
import org.carnet.teleconsultation.internal.ConsultationStore.Consultation;
import org.carnet.teleconsultation.internal.ConsultationStore.WrappedKey;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each teleconsultation's key: made by the patient's client, uploaded wrapped (JWE, {@code
 * ECDH-ES+A256KW}) to the current directory keys of the patient, the appointment's practitioner and the
 * establishment, once. The server keeps the three wraps and serves each recipient theirs, every fetch
 * decided and recorded by the access decision; staff and practitioners of other establishments get none.
 */
@Service
public class ConsultationKeys {

    /** The largest wrapped key's ciphertext (a JWK of a 256-bit key takes about 100 bytes). */
    static final int MAX_WRAPPED = 1024;

    /** A wrapped key as served: to whom, the directory version of their key, the JWE. */
    public record WrappedKeyView(SubjectKind recipient, UUID recipientId, int keyVersion, Envelope envelope) {}

    private final TeleconsultationAppointments appointments;
    private final KeyDirectory directory;
    private final Departures departures;
    private final ConsultationStore store;
    private final AccessDecision access;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ConsultationKeys(
            TeleconsultationAppointments appointments,
            KeyDirectory directory,
            Departures departures,
            ConsultationStore store,
            AccessDecision access,
            TransactionTemplate transactions,
            Clock clock) {
        this.appointments = appointments;
        this.directory = directory;
        this.departures = departures;
        this.store = store;
        this.access = access;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The patient sets up the consultation key of their booked teleconsultation: one wrap for each of the
     * three recipients, each to that recipient's current encryption key.
     *
     * @throws ConflictException when it is set up already, the appointment is cancelled, a recipient has
     *     published no key, or the practitioner left the establishment
     */
    public List<WrappedKeyView> setUp(Actor.Person patient, UUID appointmentId, Map<SubjectKind, Envelope> envelopes) {
        return Objects.requireNonNull(transactions.execute(status -> {
            if (patient.role() != Role.PATIENT) {
                throw new NotFoundException("Teleconsultation");
            }
            TeleconsultationAppointments.Found found = appointments.find(patient, appointmentId);
            if (!found.booked()) {
                throw new ConflictException("The appointment is cancelled");
            }
            Consultation consultation = new Consultation(
                    found.appointment().establishmentId(),
                    appointmentId,
                    found.appointment().practitionerId(),
                    patient.subjectId());
            if (departures
                    .departedAt(consultation.establishmentId(), consultation.practitionerId())
                    .isPresent()) {
                throw new ConflictException("The practitioner has left the establishment: no consultation key is"
                        + " wrapped to them any more");
            }
            Map<SubjectKind, UUID> recipients = new EnumMap<>(SubjectKind.class);
            recipients.put(SubjectKind.PATIENT, consultation.patientAccountId());
            recipients.put(SubjectKind.PRACTITIONER, consultation.practitionerId());
            recipients.put(SubjectKind.ESTABLISHMENT, consultation.establishmentId());
            access.require(request(patient, consultation, Action.CREATE));
            try {
                store.insert(consultation, clock.instant());
            } catch (DuplicateKeyException e) {
                throw new ConflictException("This teleconsultation's key is already set up");
            }
            List<WrappedKeyView> stored = new java.util.ArrayList<>();
            recipients.forEach((kind, id) -> {
                Envelope envelope = envelopes.get(kind);
                if (envelope == null) {
                    throw new InvalidRequestException(
                            kind.code(), "a wrap for each of the three recipients is required");
                }
                KeyDirectoryEntry key = directory
                        .latest(kind, id)
                        .orElseThrow(() -> new ConflictException("The " + kind.code()
                                + " has published no key yet: the consultation key cannot be" + " wrapped to them"));
                EnvelopeShape.check(
                        kind.code(),
                        envelope,
                        new EnvelopeShape.Expected(
                                "ECDH-ES+A256KW",
                                key.encryptionKid(),
                                Bindings.KEY_CONTENT_TYPE,
                                Bindings.binding(appointmentId, Bindings.KEY_KIND, Bindings.recipientItem(kind, id)),
                                MAX_WRAPPED));
                store.insertKey(consultation, new WrappedKey(kind, id, key.version(), envelope));
                stored.add(new WrappedKeyView(kind, id, key.version(), envelope));
            });
            return stored;
        }));
    }

    /**
     * The wrap for the caller: the patient's for the patient, the practitioner's for the appointment's
     * practitioner. Decided and recorded first; another practitioner in care gets not found here (the
     * establishment's wrap is {@link #establishmentKey}).
     */
    public WrappedKeyView mine(Actor.Person actor, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(actor, appointmentId);
            SubjectKind mine = actor.role() == Role.PATIENT && actor.subjectId().equals(consultation.patientAccountId())
                    ? SubjectKind.PATIENT
                    : actor.role() == Role.PRACTITIONER && actor.subjectId().equals(consultation.practitionerId())
                            ? SubjectKind.PRACTITIONER
                            : null;
            if (mine == null) {
                throw new NotFoundException("Key");
            }
            return view(store.key(consultation, mine).orElseThrow(() -> new NotFoundException("Key")));
        }));
    }

    /** The establishment's wrap, for a practitioner of that establishment in care of the patient. */
    public WrappedKeyView establishmentKey(Actor.Person actor, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> {
            if (actor.role() != Role.PRACTITIONER) {
                // The access decision would refuse staff and administrators anyway; say so on the log.
                decided(actor, appointmentId);
                throw new NotFoundException("Key");
            }
            Consultation consultation = decided(actor, appointmentId);
            return view(
                    store.key(consultation, SubjectKind.ESTABLISHMENT).orElseThrow(() -> new NotFoundException("Key")));
        }));
    }

    /** The consultation, once the actor is allowed to read its keys (recorded either way). */
    private Consultation decided(Actor.Person actor, UUID appointmentId) {
        Consultation consultation = store.find(appointmentId).orElseThrow(() -> new NotFoundException("Key"));
        access.require(request(actor, consultation, Action.READ));
        return consultation;
    }

    private static WrappedKeyView view(WrappedKey key) {
        return new WrappedKeyView(key.recipientKind(), key.recipientId(), key.keyVersion(), key.envelope());
    }

    static AccessRequest request(Actor.Person actor, Consultation consultation, Action action) {
        return new AccessRequest(
                actor,
                PatientRef.account(consultation.patientAccountId()),
                EstablishmentId.of(consultation.establishmentId()),
                action,
                Resource.CONSULTATION_KEY,
                List.of(Field.CONSULTATION_KEY),
                actor.role() == Role.PATIENT ? Purpose.SELF_SERVICE : Purpose.CARE);
    }
}
