package org.carnet.teleconsultation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.ConsultationStore;
import org.carnet.teleconsultation.internal.ConsultationStore.Consultation;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each teleconsultation appointment's video room (docs/e2e.md, "Video"): open from {@code
 * carnet.video.opens-before} its start to {@code carnet.video.closes-after} its end, for its patient and
 * its practitioner only, once the consultation key is set up (the signalling is sealed under it). Every
 * look at a room is decided and recorded by the access decision; anyone else, another practitioner of the
 * establishment included, gets not found. Entering an open room hands out TURN credentials for it.
 */
@Service
public class VideoRooms {

    /** A room as one of its two parties sees it: who they are, who the other side is, and its hours. */
    public record Room(
            UUID appointmentId,
            UUID establishmentId,
            SubjectKind party,
            UUID partyId,
            SubjectKind peer,
            UUID peerId,
            Instant opensAt,
            Instant closesAt,
            boolean booked) {

        /** Whether the room lets its parties in at this instant: booked, and within its hours. */
        public boolean openAt(Instant now) {
            return booked && !now.isBefore(opensAt) && now.isBefore(closesAt);
        }

        /** The party as it signs its signalling: {@code patient:<id>} or {@code practitioner:<id>}. */
        public String partyItem() {
            return Bindings.recipientItem(party, partyId);
        }

        public String peerItem() {
            return Bindings.recipientItem(peer, peerId);
        }
    }

    private final ConsultationStore consultations;
    private final TeleconsultationAppointments appointments;
    private final AccessDecision access;
    private final VideoProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    VideoRooms(
            ConsultationStore consultations,
            TeleconsultationAppointments appointments,
            AccessDecision access,
            VideoProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.consultations = consultations;
        this.appointments = appointments;
        this.access = access;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The room of this teleconsultation for its patient or its practitioner (recorded either way).
     *
     * @throws NotFoundException for anyone else, and before the consultation key is set up
     */
    public Room room(Actor.Person actor, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> decided(actor, appointmentId)));
    }

    private Room decided(Actor.Person actor, UUID appointmentId) {
        Consultation consultation =
                consultations.find(appointmentId).orElseThrow(() -> new NotFoundException("Teleconsultation"));
        access.require(new AccessRequest(
                actor,
                PatientRef.account(consultation.patientAccountId()),
                EstablishmentId.of(consultation.establishmentId()),
                Action.READ,
                Resource.CONSULTATION_CALL,
                List.of(Field.CONSULTATION_CALL),
                actor.role() == Role.PATIENT ? Purpose.SELF_SERVICE : Purpose.CARE));
        // Only the two people of the call: not staff, not a colleague in care of the same patient.
        boolean patient = actor.role() == Role.PATIENT && actor.subjectId().equals(consultation.patientAccountId());
        boolean practitioner =
                actor.role() == Role.PRACTITIONER && actor.subjectId().equals(consultation.practitionerId());
        if (!patient && !practitioner) {
            throw new NotFoundException("Teleconsultation");
        }
        TeleconsultationAppointments.Found found = appointments.find(actor, appointmentId);
        return new Room(
                appointmentId,
                consultation.establishmentId(),
                patient ? SubjectKind.PATIENT : SubjectKind.PRACTITIONER,
                actor.subjectId(),
                patient ? SubjectKind.PRACTITIONER : SubjectKind.PATIENT,
                patient ? consultation.practitionerId() : consultation.patientAccountId(),
                found.appointment().start().minus(properties.opensBefore()),
                found.appointment().end().plus(properties.closesAfter()),
                found.booked());
    }

    /** The largest signalling ciphertext, in bytes (an SDP offer is a few kilobytes). */
    public static final int MAX_SIGNAL = 16 * 1024;

    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{22}");

    /**
     * Checks a signalling message its sender's browser sealed, without opening it: a {@code dir}/A256GCM
     * JWE under the consultation key bound to this consultation, kind {@code signal} and the item {@code
     * <sender>/<session>/<sequence>} whose sender is the party the server knows is sending.
     *
     * @throws InvalidRequestException when it is malformed
     * @throws UnprocessableException when it is bound elsewhere (another sender, message or
     *     consultation)
     */
    public static void checkSignal(Room room, String session, long sequence, Envelope envelope) {
        if (!SESSION.matcher(session).matches()) {
            throw new InvalidRequestException("session", "must be 22 base64url characters");
        }
        if (sequence < 0 || sequence > 1_000_000) {
            throw new InvalidRequestException("seq", "must be from 0 to 1000000");
        }
        EnvelopeShape.check(
                "envelope",
                envelope,
                new EnvelopeShape.Expected(
                        "dir",
                        Bindings.consultationKeyId(room.appointmentId()),
                        Bindings.SIGNAL_CONTENT_TYPE,
                        Bindings.binding(
                                room.appointmentId(),
                                Bindings.SIGNAL_KIND,
                                Bindings.signalItem(room.partyItem(), session, sequence)),
                        MAX_SIGNAL));
    }

    /** Whether the room is open now. */
    public boolean open(Room room) {
        return room.openAt(clock.instant());
    }

    /**
     * TURN credentials for an open room, valid for {@code carnet.video.turn.credential-lifetime} and never
     * past the room's closing; empty when no TURN server is configured or the room is closed.
     */
    public Optional<TurnCredentials> turnCredentials(Room room) {
        VideoProperties.Turn turn = properties.turn();
        Instant now = clock.instant();
        String secret = turn.secret();
        if (turn.uris().isEmpty() || secret == null || !room.openAt(now)) {
            return Optional.empty();
        }
        Instant until = now.plus(turn.credentialLifetime());
        if (until.isAfter(room.closesAt())) {
            until = room.closesAt();
        }
        return Optional.of(TurnCredentials.issue(turn.uris(), secret, room.appointmentId(), until));
    }
}
