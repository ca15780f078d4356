package org.carnet.scheduling;

import java.time.Instant;
import java.util.List;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.shared.AppointmentId;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PractitionerId;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The appointments about to happen, for reminders: ids and times only (never a motive, a comment or
 * whom a relative is), of booked appointments whose patient has an account.
 */
@Service
public class UpcomingAppointments {

    /** A booked appointment starting soon. */
    public record Upcoming(
            AppointmentId appointment,
            EstablishmentId establishment,
            PractitionerId practitioner,
            PatientAccountId patientAccount,
            Instant start,
            Instant bookedAt) {}

    private final AppointmentStore store;

    UpcomingAppointments(AppointmentStore store) {
        this.store = store;
    }

    /** Booked appointments starting after {@code from} and at or before {@code to}, earliest first. */
    @Transactional(readOnly = true)
    public List<Upcoming> startingBetween(Instant from, Instant to) {
        return store.upcoming(from, to);
    }
}
