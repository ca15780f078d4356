package org.carnet.support;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Finess;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.directory.VisitMotive;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.WeeklyHours;
import tools.jackson.databind.JsonNode;

/** Small named factories for integration tests: each call makes fresh, synthetic objects. */
public final class Fixtures {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime() % 1_000_000);

    public record Agenda(Establishment establishment, Practitioner practitioner, VisitMotive motive) {}

    private final Directory directory;
    private final Agendas agendas;

    public Fixtures(Directory directory, Agendas agendas) {
        this.directory = directory;
        this.agendas = agendas;
    }

    /** A practitioner in a new establishment of the given city, open every day 08:00–20:00 with 30-minute slots. */
    public Agenda aPractitionerWithSlots(Specialty specialty, String city, String postcode) {
        long serial = SERIAL.incrementAndGet();
        Establishment establishment = directory.addEstablishment(
                Finess.of("75", (int) (serial % 1_000_000)),
                "Centre de test " + serial,
                "1 rue du Test",
                city,
                postcode);
        Practitioner practitioner = directory.addPractitioner(
                establishment.id(), Rpps.of(5_000_000_000L + serial), "Prénom" + serial, "Nom" + serial, specialty);
        VisitMotive motive = directory.addMotive(practitioner.id(), "Consultation de test", 30, true);
        List<WeeklyHours> everyDay = Arrays.stream(DayOfWeek.values())
                .map(day -> new WeeklyHours(day, LocalTime.of(8, 0), LocalTime.of(20, 0)))
                .toList();
        agendas.defineOpeningHours(practitioner.id(), 30, everyDay);
        return new Agenda(establishment, practitioner, motive);
    }

    public Agenda aPractitionerWithSlots() {
        return aPractitionerWithSlots(Specialty.DERMATOLOGUE, "Testville", "99100");
    }

    /** A patient registered through the API and signed in. */
    public record Patient(UUID account, String email, String token) {}

    /** Registers a new synthetic patient through the API and signs them in. */
    public static Patient aPatient(Api api) {
        java.util.Map<String, Object> registration = aRegistration();
        String email = (String) registration.get("email");
        Api.Response created = api.post("/api/v1/patients", registration, null);
        if (created.status() != 201) {
            throw new IllegalStateException("registration failed with status " + created.status());
        }
        return new Patient(UUID.fromString(created.body().get("id").asString()), email, api.token(email, (String)
                registration.get("password")));
    }

    /** Books a slot of the agenda for the patient with the agenda's motive: the appointment's id. */
    public static UUID book(Api api, Patient patient, Agenda agenda, String slotId) {
        Api.Response booked = api.post(
                "/api/v1/appointments",
                java.util.Map.of(
                        "slotId", slotId, "motiveId", agenda.motive().id().toString()),
                patient.token());
        if (booked.status() != 201) {
            throw new IllegalStateException("booking failed with status " + booked.status());
        }
        return UUID.fromString(booked.body().get("id").asString());
    }

    /** Registers a new synthetic patient through the API and signs them in: their bearer token. */
    public static String aPatientToken(Api api) {
        java.util.Map<String, Object> registration = aRegistration();
        Api.Response created = api.post("/api/v1/patients", registration, null);
        if (created.status() != 201) {
            throw new IllegalStateException("registration failed with status " + created.status());
        }
        return api.token((String) registration.get("email"), (String) registration.get("password"));
    }

    /** The ids of an agenda's free slots from tomorrow (Europe/Paris) on, earliest first, as the API lists them. */
    public static List<String> freeSlotIdsFromTomorrow(Api api, Agenda agenda) {
        LocalDate tomorrow = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1);
        return freeSlotsFrom(api, agenda, tomorrow).stream()
                .map(slot -> slot.get("id").asString())
                .toList();
    }

    /** An agenda's free slots from that day on, earliest first, as the API lists them (id, start, end). */
    public static List<JsonNode> freeSlotsFrom(Api api, Agenda agenda, LocalDate from) {
        Api.Response slots =
                api.get("/api/v1/practitioners/" + agenda.practitioner().id() + "/slots?from=" + from, null);
        if (slots.status() != 200) {
            throw new IllegalStateException("slot listing failed with status " + slots.status());
        }
        return slots.body().valueStream().toList();
    }

    /** A registration body with a unique e-mail; values are synthetic. */
    public static java.util.Map<String, Object> aRegistration() {
        UUID id = UUID.randomUUID();
        return new java.util.HashMap<>(java.util.Map.of(
                "email", "patient-" + id + "@example.test",
                "password", "correct horse battery staple",
                "firstName", "Testfirst",
                "lastName", "Testlast",
                "birthDate", "1990-02-03",
                "sex", "X",
                "phone", "+33 6 11 22 33 44"));
    }
}
