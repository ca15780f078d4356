package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.carnet.support.TestMailServer.text;

import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PracticeAppointments;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every appointment notice leaves Carnet as an e-mail (to a real SMTP server) or an SMS, in the
 * patient's language, with the same verification code as the inbox message, no link, and no personal
 * value beyond the patient's first name and the appointment's time, place and practitioner.
 */
@CarnetIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class OutgoingMessagesIntegrationTest {

    private static final Pattern CODE = Pattern.compile("CRN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");

    @Value("${local.server.port}")
    int port;

    @Value("${carnet.mail.folder}")
    Path folder;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Availability availability;

    @Autowired
    PracticeAppointments practice;

    @Autowired
    Inbox inbox;

    @Autowired
    NotificationPreferences preferences;

    @Test
    void everyAppointmentNoticeIsAnEmailInFrenchWithoutLinksWithTheInboxCode() throws Exception {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        List<String> free = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        UUID cancelledByPractice = Fixtures.book(api, patient, agenda, free.get(0));
        UUID movedByPractice = Fixtures.book(api, patient, agenda, free.get(1));
        UUID absent = Fixtures.book(api, patient, agenda, free.get(2));
        UUID cancelledByPatient = Fixtures.book(api, patient, agenda, free.get(3));
        UUID movedByPatient = Fixtures.book(api, patient, agenda, free.get(4));
        assertThat(api.delete("/api/v1/appointments/" + cancelledByPatient, patient.token())
                        .status())
                .isEqualTo(204);
        assertThat(api.post(
                                "/api/v1/appointments/" + movedByPatient + "/reschedule",
                                Map.of("slotId", free.get(5)),
                                patient.token())
                        .status())
                .isEqualTo(200);
        Actor.Person practitioner = new Actor.Person(
                UUID.randomUUID(),
                Role.PRACTITIONER,
                agenda.practitioner().id(),
                EstablishmentId.of(agenda.establishment().id()));
        String name = agenda.practitioner().displayName();
        practice.cancel(practitioner, cancelledByPractice, name);
        practice.move(practitioner, movedByPractice, UUID.fromString(free.get(6)), name);
        Slot third = availability.slot(UUID.fromString(free.get(2))).orElseThrow();
        practice.addAbsence(practitioner, agenda.practitioner(), third.start(), third.end());

        // 5 bookings, the patient's own cancellation and move, the practice's cancellation, move and absence
        // (after registration's address confirmation).
        TestMailServer.awaitTo(patient.email(), 11);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestMailServer.to(patient.email()).size() == 11);
        List<MimeMessage> mails = TestMailServer.to(patient.email()).subList(1, 11);
        List<String> codes = new ArrayList<>();
        for (MimeMessage mail : mails) {
            String text = text(mail, "text/plain");
            String html = text(mail, "text/html");
            assertThat(mail.getSubject()).startsWith("Carnet : ");
            assertThat(mail.getFrom()[0].toString()).contains("carnet");
            assertThat(mail.getMessageID()).matches("<[0-9a-f-]{36}@carnet\\.localhost>");
            assertThat(text)
                    .startsWith("Bonjour Testfirst,")
                    .contains(name)
                    .contains("Carnet ne vous demande jamais votre mot de passe, vos codes ni votre numéro"
                            + " de sécurité sociale, et n’envoie jamais de lien. Vérifiez tout message sur la page"
                            + " /verifier de Carnet.");
            assertThat(html).contains("Bonjour Testfirst,").contains("/verifier");
            for (String part : List.of(text, html, TestMailServer.body(mail), mail.getSubject())) {
                assertThat(withoutBoundaries(part))
                        .as("no link, no personal value beyond first name, time, place and practitioner")
                        .doesNotContain("http")
                        .doesNotContain("www.")
                        .doesNotContain("href")
                        .doesNotContain("testlast")
                        .doesNotContain("1990")
                        .doesNotContain("11 22 33")
                        .doesNotContain(patient.email().toLowerCase(Locale.ROOT))
                        .doesNotContain(agenda.motive().label().toLowerCase(Locale.ROOT));
            }
            Matcher code = CODE.matcher(text);
            assertThat(code.find()).as("a verification code").isTrue();
            assertThat(html).contains(code.group());
            codes.add(code.group());
        }
        assertThat(mails).extracting(MimeMessage::getMessageID).doesNotHaveDuplicates();
        assertThat(codes).doesNotHaveDuplicates();
        assertThat(mails)
                .extracting(MimeMessage::getSubject)
                .filteredOn(s -> s.contains("confirmé"))
                .hasSize(5);
        assertThat(mails.stream().map(m -> text(m, "text/plain")))
                .anyMatch(t -> t.contains(agenda.establishment().name())
                        && t.contains(agenda.establishment().city()))
                .anyMatch(t -> t.contains("Le cabinet de " + name + " a annulé"))
                .anyMatch(t -> t.contains("Le cabinet de " + name + " a déplacé"))
                .anyMatch(t -> t.contains(name + " sera absent"))
                .anyMatch(t -> t.contains("Vous avez annulé"))
                .anyMatch(t -> t.contains("Vous avez déplacé"));

        // The inbox holds the same messages with the same codes.
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, patient.account(), null);
        assertThat(inbox.list(Recipient.patient(patient.account()), owner))
                .filteredOn(m -> m.kind().startsWith("appointment-"))
                .extracting(InboxMessage::verificationCode)
                .containsExactlyInAnyOrderElementsOf(codes);
    }

    @Test
    void aPatientWhoChoseEnglishGetsEnglish() throws Exception {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        preferences.set(
                Recipient.patient(patient.account()),
                new NotificationPreferences.Preferences(Locale.ENGLISH, Channel.EMAIL, true));
        Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));

        MimeMessage mail = TestMailServer.awaitTo(patient.email(), 2).get(1);
        String text = text(mail, "text/plain");
        assertThat(mail.getSubject()).startsWith("Carnet: Appointment confirmed on ");
        assertThat(text)
                .startsWith("Hello Testfirst,")
                .contains("Your appointment with " + agenda.practitioner().displayName())
                .contains("This message’s verification code: CRN-")
                .contains("Carnet never asks for your password, codes or social security number, and never sends"
                        + " links. Check any message on Carnet’s /verifier page.")
                .doesNotContain("Bonjour");
        assertThat(text(mail, "text/html")).contains("Hello Testfirst,").doesNotContain("http");
    }

    @Test
    void aPatientWhoChoseSmsGetsATextAndTheLogShowsTwoDigitsOfTheNumber(CapturedOutput output) throws Exception {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        preferences.set(
                Recipient.patient(patient.account()),
                new NotificationPreferences.Preferences(Locale.FRENCH, Channel.SMS, true));
        UUID appointment = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));

        await().atMost(Duration.ofSeconds(30)).until(() -> smsContaining(appointmentCode(patient)) != null);
        String sms = Files.readString(smsContaining(appointmentCode(patient)));
        assertThat(sms)
                .startsWith("To: +33 6 11 22 33 44\n")
                .contains("Carnet : Votre rendez-vous avec "
                        + agenda.practitioner().displayName())
                .contains("Code de vérification : CRN-")
                .endsWith("Vérifiez tout message sur la page /verifier de Carnet.\n")
                .doesNotContain("http")
                .doesNotContain("Testlast");
        // The provider logs once the file is in place: wait for the line, not only for the file.
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains("••••••••44"));
        assertThat(output.getAll()).doesNotContain("11 22 33 44");
        assertThat(TestMailServer.to(patient.email()))
                .as("an SMS instead of an e-mail (the one e-mail: registration's address confirmation)")
                .hasSize(1);
        assertThat(appointment).isNotNull();
    }

    @Test
    void registrationsMessagesSayWhatHappenedInBothLanguagesWithoutLinksAndOnlyTheEmailHoldsTheCode() throws Exception {
        Api api = new Api(port);
        Fixtures.Patient patient = Fixtures.aPatient(api);
        MimeMessage confirmation = TestMailServer.to(patient.email()).get(0);
        assertThat(confirmation.getSubject()).isEqualTo("Carnet : Votre code de confirmation d’adresse");
        String code = Fixtures.confirmationCode(patient.email());
        assertThat(text(confirmation, "text/plain"))
                .startsWith("Bonjour Testfirst,")
                .contains("Votre code de confirmation est " + code + ".")
                .contains("Personne chez Carnet ne vous le demandera");

        // Someone registers the address again; the owner, now reading English, is told.
        preferences.set(
                Recipient.patient(patient.account()),
                new NotificationPreferences.Preferences(Locale.ENGLISH, Channel.SMS, true));
        Map<String, Object> again = Fixtures.aRegistration();
        again.put("email", patient.email());
        assertThat(api.post("/api/v1/patients", again, null).status()).isEqualTo(202);
        MimeMessage told = TestMailServer.awaitTo(patient.email(), 2).get(1);
        assertThat(told.getSubject()).isEqualTo("Carnet: Someone tried to create an account with your address");
        assertThat(text(told, "text/plain"))
                .as("by e-mail although the patient chose SMS: it is about the address")
                .startsWith("Hello Testfirst,")
                .contains("which already has one. No account was created");

        // A new account reading English asks for another code.
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        api.post("/api/v1/patients", registration, null);
        String token = api.token(email, (String) registration.get("password"));
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        TestMailServer.awaitTo(email, 1);
        preferences.set(
                Recipient.patient(account),
                new NotificationPreferences.Preferences(Locale.ENGLISH, Channel.EMAIL, true));
        api.post("/api/v1/me/email-confirmation/code", Map.of(), token);
        MimeMessage english = TestMailServer.awaitTo(email, 2).get(1);
        assertThat(english.getSubject()).isEqualTo("Carnet: Your address confirmation code");
        String second = Fixtures.confirmationCode(email);
        assertThat(text(english, "text/plain"))
                .contains("Your confirmation code is " + second + ".")
                .contains("Nobody from Carnet will ever ask you for it");

        for (MimeMessage mail : List.of(confirmation, told, english)) {
            for (String part : List.of(text(mail, "text/plain"), text(mail, "text/html"), TestMailServer.body(mail))) {
                assertThat(withoutBoundaries(part))
                        .doesNotContain("http")
                        .doesNotContain("href")
                        .doesNotContain("testlast")
                        .doesNotContain("1990");
            }
            assertThat(CODE.matcher(text(mail, "text/plain")).find())
                    .as("a verification code")
                    .isTrue();
        }
        // The inbox says a code was sent, never which.
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, account, null);
        assertThat(inbox.list(Recipient.patient(account), owner))
                .extracting(InboxMessage::kind)
                .containsOnly("address-confirmation-sent");
        assertThat(inbox.list(Recipient.patient(account), owner))
                .allSatisfy(m -> assertThat(m.params()).isEmpty());
    }

    private String appointmentCode(Fixtures.Patient patient) {
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, patient.account(), null);
        return inbox.list(Recipient.patient(patient.account()), owner).stream()
                .filter(m -> m.kind().equals("appointment-booked"))
                .map(InboxMessage::verificationCode)
                .filter(c -> c != null)
                .findFirst()
                .orElse("none yet");
    }

    private Path smsContaining(String code) throws Exception {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".sms.txt")).toList()) {
                if (Files.readString(file).contains(code)) {
                    return file;
                }
            }
        }
        return null;
    }

    /**
     * A part in lower case, its MIME boundaries' random digits left out: they once held "1990" (the birth year
     * looked for), which is not the message saying anything.
     */
    private static String withoutBoundaries(String part) {
        return part.toLowerCase(Locale.ROOT).replaceAll("_part_[0-9_.]+", "_part_");
    }
}
