package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
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

        // 5 bookings, the patient's own cancellation and move, the practice's cancellation, move and absence.
        List<MimeMessage> mails = TestMailServer.awaitTo(patient.email(), 10);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestMailServer.to(patient.email()).size() == 10);
        assertThat(TestMailServer.to(patient.email())).hasSize(10);
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
                assertThat(part.toLowerCase(Locale.ROOT))
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

        MimeMessage mail = TestMailServer.awaitTo(patient.email(), 1).get(0);
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
        assertThat(output.getAll()).contains("••••••••44").doesNotContain("11 22 33 44");
        assertThat(TestMailServer.to(patient.email()))
                .as("an SMS instead of an e-mail")
                .isEmpty();
        assertThat(appointment).isNotNull();
    }

    private String appointmentCode(Fixtures.Patient patient) {
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, patient.account(), null);
        return inbox.list(Recipient.patient(patient.account()), owner).stream()
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

    /** The decoded text of the message's first part of this type. */
    static String text(Part part, String type) {
        try {
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    String found = text(child, type);
                    if (!found.isEmpty()) {
                        return found;
                    }
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
