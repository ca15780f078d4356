package org.carnet.fhir;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.carnet.identity.Logins;
import org.carnet.patients.Sex;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An establishment's agenda filled the way a practice fills it: its staff booking patients over the
 * phone (each a new file, with synthetic identity and contact that the tests then look for in what a
 * program receives).
 */
final class PracticeAgenda {

    /** A booked appointment and the synthetic values of its patient's file. */
    record Booked(UUID appointmentId, UUID fileId, UUID slotId, String lastName, String phone, String email) {}

    private final Fixtures.Agenda agenda;
    private final Actor.Person staff;
    private final PhoneBookings phone;
    private final Availability availability;
    private final JdbcClient jdbc;

    PracticeAgenda(
            Fixtures.Agenda agenda,
            Professionals professionals,
            Logins logins,
            PhoneBookings phone,
            Availability availability,
            JdbcClient jdbc) {
        this.agenda = agenda;
        this.staff = logins.byId(professionals
                        .staff(
                                org.carnet.shared.Role.STAFF,
                                agenda.establishment().id())
                        .userId())
                .orElseThrow();
        this.phone = phone;
        this.availability = availability;
        this.jdbc = jdbc;
    }

    Fixtures.Agenda agenda() {
        return agenda;
    }

    /** The agenda's free slots from now on, over the next {@code days} days, earliest first. */
    List<Slot> freeSlots(int days) {
        Instant now = Instant.now();
        return availability.freeSlots(agenda.practitioner().id(), now, now.plus(Duration.ofDays(days)));
    }

    /** Books {@code count} new patients on free slots spread over the coming weeks. */
    List<Booked> bookNewPatients(int count) {
        List<Slot> free = freeSlots(40);
        int step = Math.max(1, free.size() / (count + 1));
        List<Booked> booked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            booked.add(bookNewPatient(free.get((i + 1) * step).id()));
        }
        return booked;
    }

    Booked bookNewPatient(UUID slotId) {
        return bookNewPatient(slotId, "Zyx" + letters(10));
    }

    /** A new patient's file with this last name (born 14 March 1971), booked over the phone on the slot. */
    Booked bookNewPatient(UUID slotId, String lastName) {
        String phoneNumber = "+33 6 " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
        String email = "file-" + UUID.randomUUID() + "@example.test";
        UUID appointment = phone.bookNewPatient(
                staff,
                slotId,
                agenda.motive().id(),
                new PhoneBookings.NewPatientFile(
                        "Qwv" + letters(6), lastName, LocalDate.of(1971, 3, 14), Sex.F, phoneNumber, email));
        return new Booked(appointment, fileOf(appointment), slotId, lastName, phoneNumber, email);
    }

    private UUID fileOf(UUID appointmentId) {
        return jdbc.sql("SELECT patient_file_id FROM appointments WHERE id = ?")
                .param(appointmentId)
                .query(UUID.class)
                .single();
    }

    static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return s.toString();
    }

    private static String digits(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(ThreadLocalRandom.current().nextInt(10));
        }
        return s.toString();
    }
}
