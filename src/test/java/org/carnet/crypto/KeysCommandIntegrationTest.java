package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.carnet.CarnetApplication;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.TestDatabase;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's commands against a database a Carnet server is using: {@code keys rotate-data} and {@code keys
 * rotate-master} run beside the server, print their progress, and the server, which neither restarts nor is
 * told, goes on opening everything and seals and wraps its new data with the new keys.
 */
class KeysCommandIntegrationTest {

    record Run(int status, String out, String err) {}

    /** The running server the commands work beside, on this database. */
    private static ConfigurableApplicationContext server(String database) {
        return new SpringApplicationBuilder(CarnetApplication.class)
                .profiles("test")
                .initializers(new TestDatabase(), new TestMailServer())
                .run(
                        "--server.port=0",
                        "--spring.datasource.hikari.maximum-pool-size=5",
                        "--" + TestDatabase.SHARED_NAME + "=" + database);
    }

    @Test
    void bothRotationsRunBesideARunningServerWhichTakesTheNewKeysByItself() {
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext server = server(database)) {
            Api api = new Api(Integer.parseInt(server.getEnvironment().getProperty("local.server.port", "0")));
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            Fixtures.Agenda agenda = new Fixtures(server.getBean(Directory.class), server.getBean(Agendas.class))
                    .aPractitionerWithSlots();
            List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
            Fixtures.Patient patient = Fixtures.aPatient(api);
            UUID before = Fixtures.book(api, patient, agenda, slots.get(0));
            UUID establishment = agenda.establishment().id();

            Run data = keys(database, "rotate-data", "--establishment", establishment.toString());

            assertThat(data.status()).as(data.err()).isEqualTo(KeysCommand.DONE);
            assertThat(data.out())
                    // The appointment's motive and its patient's account id, both sealed.
                    .contains("values by data key version: {appointments={1=2}")
                    .contains("pass 1, appointments: 2 values re-sealed so far under version 2")
                    .contains("keys rotate-data: OK, every value of establishment " + establishment
                            + " sealed with data key version 2");
            assertThat(motiveVersions(jdbc, establishment)).containsOnly(2);
            // The server made no new version itself and was not restarted: it seals with version 2 by now.
            Fixtures.Patient next = Fixtures.aPatient(api);
            UUID after = Fixtures.book(api, next, agenda, slots.get(1));
            assertThat(motiveVersions(jdbc, establishment)).containsOnly(2);
            assertThat(motive(api, before, patient)).isEqualTo("Consultation de test");
            assertThat(motive(api, after, next)).isEqualTo("Consultation de test");

            Run master = keys(database, "rotate-master");

            assertThat(master.status()).as(master.err()).isEqualTo(KeysCommand.DONE);
            assertThat(master.out())
                    .contains(" data keys re-wrapped under master-2, ")
                    .contains("keys rotate-master: OK, master-2 wraps every data key");
            Fixtures.Patient newcomer = Fixtures.aPatient(api);
            UUID third = Fixtures.book(api, newcomer, agenda, slots.get(2));
            assertThat(jdbc.sql("SELECT DISTINCT master_key FROM data_keys")
                            .query(String.class)
                            .list())
                    .as("the server wraps its new data keys with the new master key by itself")
                    .containsExactly("master-2");
            assertThat(motive(api, third, newcomer)).isEqualTo("Consultation de test");
            assertThat(motive(api, before, patient)).isEqualTo("Consultation de test");

            assertThat(keys(
                                    database,
                                    "rotate-data",
                                    "--establishment",
                                    UUID.randomUUID().toString())
                            .status())
                    .as("nothing sealed for it")
                    .isEqualTo(KeysCommand.REFUSED);
            assertThat(keys(database, "rotate-data", "--establishment", "not-an-id")
                            .status())
                    .isEqualTo(KeysCommand.USAGE);
        } finally {
            TestDatabase.drop(database);
        }
    }

    @Test
    void rotateDataTakesAPatientAccountOrALoginWhoseValuesAreInTheSharedInboxAndOutbox() {
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext server = server(database)) {
            Api api = new Api(Integer.parseInt(server.getEnvironment().getProperty("local.server.port", "0")));
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            Inbox inbox = server.getBean(Inbox.class);
            Fixtures.Agenda agenda = new Fixtures(server.getBean(Directory.class), server.getBean(Agendas.class))
                    .aPractitionerWithSlots();
            Fixtures.Patient patient = Fixtures.aPatient(api);
            inbox.post(Recipient.patient(patient.account()), "test-message", List.of("un"), null);
            UUID staff = new Professionals(server.getBean(Logins.class), server.getBean(TransactionTemplate.class))
                    .staff(Role.STAFF, agenda.establishment().id())
                    .userId();
            inbox.post(Recipient.professional(staff), "test-message", List.of("deux"), null);

            Run rotated =
                    keys(database, "rotate-data", "--patient", patient.account().toString());

            assertThat(rotated.status()).as(rotated.err()).isEqualTo(KeysCommand.DONE);
            assertThat(rotated.out())
                    .contains("keys rotate-data: patient account " + patient.account() + ", values by data key"
                            + " version: {inbox_messages={1=")
                    .contains("keys rotate-data: OK, every value of patient account " + patient.account()
                            + " sealed with data key version 2");
            assertThat(inboxVersions(jdbc, "PATIENT", patient.account()))
                    .hasSizeGreaterThan(1)
                    .containsOnly(2);
            assertThat(versions(jdbc, "SELECT email FROM patient_accounts WHERE id = ?", patient.account()))
                    .containsOnly(2);
            assertThat(inbox.list(
                            Recipient.patient(patient.account()),
                            server.getBean(Logins.class)
                                    .loginOf(patient.account())
                                    .orElseThrow()))
                    .as("the running server opens them")
                    .anyMatch(message -> message.kind().equals("test-message"));

            Run login = keys(database, "rotate-data", "--login=" + staff);

            assertThat(login.status()).as(login.err()).isEqualTo(KeysCommand.DONE);
            assertThat(login.out()).contains("keys rotate-data: OK, every value of login " + staff);
            assertThat(versions(jdbc, "SELECT display_name FROM user_accounts WHERE id = ?", staff))
                    .containsOnly(2);
            assertThat(inboxVersions(jdbc, "PROFESSIONAL", staff))
                    .as("the professional inbox of the same id: another key, untouched")
                    .containsOnly(1);
            assertThat(keys(database, "rotate-data", "--professional", "not-an-id")
                            .status())
                    .isEqualTo(KeysCommand.USAGE);
        } finally {
            TestDatabase.drop(database);
        }
    }

    private static List<Integer> inboxVersions(JdbcClient jdbc, String recipientType, UUID recipient) {
        return jdbc.sql("SELECT body FROM inbox_messages WHERE recipient_type = ? AND recipient_id = ?")
                .params(recipientType, recipient)
                .query((rs, n) -> FieldSealer.keyVersion(rs.getBytes(1)))
                .list();
    }

    private static List<Integer> versions(JdbcClient jdbc, String sql, UUID id) {
        return jdbc.sql(sql)
                .param(id)
                .query((rs, n) -> FieldSealer.keyVersion(rs.getBytes(1)))
                .list();
    }

    private static List<Integer> motiveVersions(JdbcClient jdbc, UUID establishment) {
        return jdbc.sql("SELECT motive FROM appointments WHERE establishment_id = ?")
                .param(establishment)
                .query((rs, n) -> FieldSealer.keyVersion(rs.getBytes(1)))
                .list();
    }

    private static String motive(Api api, UUID appointment, Fixtures.Patient patient) {
        return api.get("/api/v1/appointments/" + appointment, patient.token())
                .body()
                .get("motive")
                .asString();
    }

    private static Run keys(String database, String... words) {
        List<String> args = new ArrayList<>(List.of("keys"));
        args.addAll(List.of(words));
        args.addAll(TestDatabase.commandLine(database));
        // Longer than the five seconds in which a running node looks for new keys.
        args.add("--carnet.crypto.rotation.settle=PT6S");
        args.add("--carnet.crypto.rotation.batch-size=2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeysCommand.run(
                CarnetApplication.class,
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
