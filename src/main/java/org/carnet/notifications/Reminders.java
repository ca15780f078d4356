package org.carnet.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.scheduling.UpcomingAppointments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reminds patients of their appointments, as their establishment set (by default 24 hours and 2 hours
 * before), by e-mail or SMS as they chose, unless they opted out. Every minute it looks at the booked
 * appointments about to start: an appointment gets the reminder whose time came within the last hour,
 * the latest one only if several did, and none whose time had already passed when it was booked. The notice's event key names the appointment, the reminder and the start, so a reminder is
 * sent once, a moved appointment is reminded of its new time, and a cancelled one (no longer booked)
 * of nothing.
 */
@Component
class Reminders {

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    static final Duration CATCH_UP = Duration.ofHours(1);

    private final UpcomingAppointments upcoming;
    private final ReminderSettings settings;
    private final NotificationPreferences preferences;
    private final Notices notices;
    private final AppointmentWords words;
    private final Clock clock;

    Reminders(
            UpcomingAppointments upcoming,
            ReminderSettings settings,
            NotificationPreferences preferences,
            Notices notices,
            AppointmentWords words,
            Clock clock) {
        this.upcoming = upcoming;
        this.settings = settings;
        this.preferences = preferences;
        this.notices = notices;
        this.words = words;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${carnet.reminders.interval:PT1M}",
            initialDelayString = "${carnet.reminders.interval:PT1M}")
    void run() {
        try {
            sendDue(clock.instant());
        } catch (RuntimeException e) {
            log.warn("Reminders stopped for this round: {}", e.getClass().getSimpleName());
        }
    }

    /** Sends the reminders due at {@code now}; how many. */
    int sendDue(Instant now) {
        Map<UUID, List<Duration>> offsets = new HashMap<>();
        int sent = 0;
        for (UpcomingAppointments.Upcoming appointment :
                upcoming.startingBetween(now, now.plus(ReminderSettings.LONGEST))) {
            Optional<Duration> due =
                    due(offsets.computeIfAbsent(appointment.establishment().value(), settings::of), appointment, now);
            if (due.isEmpty()) {
                continue;
            }
            Recipient patient = Recipient.patient(appointment.patientAccount().value());
            String key = "appointment-reminder:" + appointment.appointment().value() + ":"
                    + due.get().toMinutes() + ":" + appointment.start().toEpochMilli();
            try {
                if (preferences.of(patient).reminders()
                        && notices.send(
                                key,
                                patient,
                                "appointment-reminder",
                                words.of(
                                        appointment.start(),
                                        appointment.practitioner(),
                                        appointment.establishment()))) {
                    sent++;
                }
            } catch (RuntimeException e) {
                // One appointment's failure must not hold back the others; it is tried again next round.
                log.warn(
                        "Reminder {} not sent this round: {}",
                        appointment.appointment().value(),
                        e.getClass().getSimpleName());
            }
        }
        return sent;
    }

    /**
     * The latest reminder whose time came within the last {@link #CATCH_UP} and that was still ahead when
     * the appointment was booked: a job paused for less than that sends what it missed, and no
     * appointment is looked at more than that long per reminder.
     */
    static Optional<Duration> due(List<Duration> offsets, UpcomingAppointments.Upcoming appointment, Instant now) {
        return offsets.stream()
                .filter(offset -> !now.isBefore(appointment.start().minus(offset)))
                .filter(offset -> now.isBefore(appointment.start().minus(offset).plus(CATCH_UP)))
                .filter(offset ->
                        !appointment.bookedAt().isAfter(appointment.start().minus(offset)))
                .min(Duration::compareTo);
    }
}
