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
        return withSlots(establishment, practitioner);
    }

    /** Another practitioner of the same establishment, with the same hours and a teleconsultation motive. */
    public Agenda aColleagueWithSlots(Agenda of) {
        long serial = SERIAL.incrementAndGet();
        Practitioner practitioner = directory.addPractitioner(
                of.establishment().id(),
                Rpps.of(5_000_000_000L + serial),
                "Collègue" + serial,
                "Nom" + serial,
                of.practitioner().specialty());
        return withSlots(of.establishment(), practitioner);
    }

    private Agenda withSlots(Establishment establishment, Practitioner practitioner) {
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

    /**
     * Registers a new synthetic patient through the API, confirms their address with the code e-mailed
     * to it, and signs them in.
     */
    public static Patient aPatient(Api api) {
        return registered(api, aRegistration());
    }

    /**
     * Registers these details through the API, signs in, and confirms the address with the code e-mailed
     * to it (received by the tests' mail server), as a new patient does before booking.
     */
    public static Patient registered(Api api, java.util.Map<String, Object> registration) {
        String email = (String) registration.get("email");
        Api.Response received = api.post("/api/v1/patients", registration, null);
        if (received.status() != 202) {
            throw new IllegalStateException("registration failed with status " + received.status());
        }
        String token = api.token(email, (String) registration.get("password"));
        confirmAddress(api, email, token);
        Api.Response me = api.get("/api/v1/me", token);
        return new Patient(UUID.fromString(me.body().get("id").asString()), email, token);
    }

    /** Types the code e-mailed to the address, as its signed-in owner. */
    public static void confirmAddress(Api api, String email, String token) {
        Api.Response confirmed =
                api.post("/api/v1/me/email-confirmation", java.util.Map.of("code", confirmationCode(email)), token);
        if (confirmed.status() != 204) {
            throw new IllegalStateException("address confirmation failed with status " + confirmed.status());
        }
    }

    /** The code of the latest address-confirmation e-mail sent to this address, waiting for it if needed. */
    public static String confirmationCode(String email) {
        java.util.regex.Pattern code =
                java.util.regex.Pattern.compile("(?:code de confirmation est|confirmation code is) ([0-9]{6})");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> TestMailServer.to(email).stream()
                        .anyMatch(m -> code.matcher(TestMailServer.text(m)).find()));
        List<jakarta.mail.internet.MimeMessage> received = TestMailServer.to(email);
        for (int i = received.size() - 1; i >= 0; i--) {
            java.util.regex.Matcher found = code.matcher(TestMailServer.text(received.get(i)));
            if (found.find()) {
                return found.group(1);
            }
        }
        throw new IllegalStateException("no confirmation code");
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

    /** Registers a new synthetic patient with a confirmed address through the API and signs them in: their bearer token. */
    public static String aPatientToken(Api api) {
        return aPatient(api).token();
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
