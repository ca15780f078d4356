package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The people of a booked teleconsultation, each with the keys their client published: the patient, the
 * appointment's practitioner, the establishment (through its administrator), a secretary of the same
 * establishment and a practitioner of another; and what the patient's client does to set a consultation's
 * key up. For the tests that play the clients with nimbus-jose-jwt.
 */
final class ConsultationParties {

    static final String BASE = "/api/v1/teleconsultations";

    final Api api;
    final Fixtures.Agenda agenda;
    final Fixtures.Agenda elsewhere;
    final Fixtures.Patient patient;
    final Professionals.Login practitionerLogin;
    final Professionals.Login strangerLogin;
    final String practitionerToken;
    final String adminToken;
    final String staffToken;
    final String strangerToken;
    final JoseClient.Keys patientKeys = JoseClient.Keys.generate();
    final JoseClient.Keys practitionerKeys = JoseClient.Keys.generate();
    final JoseClient.Keys establishmentKeys = JoseClient.Keys.generate();
    final PublicKey server;
    final List<String> slots;

    ConsultationParties(
            int port, Directory directory, Agendas agendas, Logins logins, TransactionTemplate transactions) {
        api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Professionals professionals = new Professionals(logins, transactions);
        agenda = fixtures.aPractitionerWithSlots();
        elsewhere = fixtures.aPractitionerWithSlots();
        practitionerLogin = professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
        practitionerToken = api.token(practitionerLogin);
        adminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        staffToken =
                api.token(professionals.staff(Role.STAFF, agenda.establishment().id()));
        strangerLogin = professionals.practitioner(
                elsewhere.practitioner().id(), elsewhere.establishment().id());
        strangerToken = api.token(strangerLogin);
        patient = Fixtures.aPatient(api);
        slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        assertThat(api.post(BASE + "/keys/me", patientKeys.publication(), patient.token())
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/me", practitionerKeys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/establishment", establishmentKeys.publication(), adminToken)
                        .status())
                .isEqualTo(200);
        server = JoseClient.serverKey(
                api.get(BASE + "/key-directory/signing-key", null).body());
    }

    /** Books the n-th free slot. */
    UUID book(int slot) {
        return Fixtures.book(api, patient, agenda, slots.get(slot));
    }

    /** The patient's client makes the consultation key and uploads it wrapped to the three current keys. */
    OctetSequenceKey setUpKey(UUID appointmentId) {
        OctetSequenceKey key = JoseClient.newConsultationKey(appointmentId);
        Map<String, Object> wraps = Map.of(
                "patient",
                JoseClient.wrap(
                        key,
                        appointmentId,
                        "patient:" + patient.account(),
                        currentEntry("patient", patient.account())
                                .get("encryptionJwk")
                                .asString()),
                "practitioner",
                JoseClient.wrap(
                        key,
                        appointmentId,
                        "practitioner:" + agenda.practitioner().id(),
                        currentEntry("practitioner", agenda.practitioner().id())
                                .get("encryptionJwk")
                                .asString()),
                "establishment",
                JoseClient.wrap(
                        key,
                        appointmentId,
                        "establishment:" + agenda.establishment().id(),
                        currentEntry("establishment", agenda.establishment().id())
                                .get("encryptionJwk")
                                .asString()));
        Api.Response stored = api.post(BASE + "/" + appointmentId + "/keys", wraps, patient.token());
        assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
        return key;
    }

    /** A subject's current directory entry, as the patient's client fetches it, after checking its signature. */
    JsonNode currentEntry(String kind, UUID subject) {
        JsonNode entry =
                api.get(BASE + "/keys/" + kind + "/" + subject, patient.token()).body();
        assertThat(JoseClient.verifies(
                        entry, JoseClient.b64(entry.get("prevHash").asString()), server))
                .isTrue();
        return entry;
    }
}
