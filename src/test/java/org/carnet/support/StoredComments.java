package org.carnet.support;

import java.util.UUID;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Bookings;
import org.carnet.shared.Actor;

/**
 * Bookings with a free-text comment, as the API took them before the comment moved into the
 * teleconsultation's encrypted exchange (issue 14): the legacy comments that stay stored, sealed, and
 * readable. The API now refuses a comment (400), so a test that needs one stored books through the
 * scheduling service, as the patient's own login.
 */
public final class StoredComments {

    private final Bookings bookings;
    private final Logins logins;

    public StoredComments(Bookings bookings, Logins logins) {
        this.bookings = bookings;
        this.logins = logins;
    }

    /** Books the slot for the patient (or their relative) with the comment; the appointment's id. */
    public UUID book(UUID patientAccount, String slotId, UUID motiveId, String comment, UUID relativeId) {
        Actor.Person patient =
                logins.loginOf(patientAccount).orElseThrow(() -> new IllegalStateException("the patient has no login"));
        return bookings.book(
                        patient,
                        new Bookings.BookingRequest(UUID.fromString(slotId), motiveId, comment, relativeId),
                        null)
                .appointment()
                .id();
    }

    public UUID book(Fixtures.Patient patient, Fixtures.Agenda agenda, String slotId, String comment) {
        return book(patient.account(), slotId, agenda.motive().id(), comment, null);
    }
}
