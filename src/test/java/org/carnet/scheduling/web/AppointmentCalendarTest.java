package org.carnet.scheduling.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.carnet.scheduling.AppointmentView;
import org.junit.jupiter.api.Test;

class AppointmentCalendarTest {

    @Test
    void theFileSaysWhenWhereAndWithWhomButNeverWhy() {
        UUID id = UUID.randomUUID();
        AppointmentView appointment = new AppointmentView(
                id,
                UUID.randomUUID(),
                Instant.parse("2026-12-01T09:00:00Z"),
                Instant.parse("2026-12-01T09:20:00Z"),
                "BOOKED",
                UUID.randomUUID(),
                "Camille Martin",
                "psychiatre",
                UUID.randomUUID(),
                "Cabinet médical Pasteur",
                "1 rue Pasteur, 69003 Lyon",
                UUID.randomUUID(),
                "Motifsecret",
                "Commentsecret",
                UUID.randomUUID(),
                "Relativesecret Name");

        String ics = AppointmentCalendar.of(appointment, "Rendez-vous avec Camille Martin");

        assertThat(ics)
                .startsWith("BEGIN:VCALENDAR")
                .contains("DTSTART:20261201T090000Z")
                .contains("DTEND:20261201T092000Z")
                .contains("UID:" + id + "@carnet")
                .contains("SUMMARY:Rendez-vous avec Camille Martin")
                .contains("LOCATION:Cabinet médical Pasteur\\, 1 rue Pasteur\\, 69003 Lyon");
        assertThat(ics.toLowerCase()).doesNotContain("motifsecret", "commentsecret", "psychiatr", "relativesecret");
    }
}
