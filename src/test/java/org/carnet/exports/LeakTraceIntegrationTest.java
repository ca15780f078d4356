package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.carnet.CarnetApplication;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two exports of one establishment of 2,000 synthetic patients, to two recipients; leaked copies of
 * them, handled as leaked files are, are traced back to the right one, and unrelated files of the same
 * shape to none.
 */
@CarnetIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext // its many patient files and logins must not reach other tests
class LeakTraceIntegrationTest {

    static final int PATIENTS = 2000;

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PatientFiles patientFiles;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    LeakTracer tracer;

    @Autowired
    Environment environment;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    Path dir;
    String adminToken;
    String officerToken;
    UUID exportA;
    UUID exportB;
    List<List<String>> csvA;
    List<List<String>> csvB;
    String ndjsonB;

    @BeforeAll
    void anEstablishmentExportedToTwoRecipients() throws IOException {
        dir = Files.createTempDirectory("leak-trace");
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        adminToken = api.token(admin);
        officerToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        SyntheticPatients.file(
                patientFiles,
                transactions,
                agenda.establishment().id(),
                admin.userId(),
                SyntheticPatients.people(PATIENTS, 7));

        TestRecipient vendorA = new TestRecipient("Vendor A <a@example.test>");
        TestRecipient vendorB = new TestRecipient("Vendor B <b@example.test>");
        Map<String, String> a = export(api, adminToken, officerToken, vendorA, "Vendor A");
        Map<String, String> b = export(api, adminToken, officerToken, vendorB, "Vendor B");
        exportA = UUID.fromString(a.get("id"));
        exportB = UUID.fromString(b.get("id"));
        csvA = csv(a.get("patients.csv"));
        csvB = csv(b.get("patients.csv"));
        ndjsonB = b.get("Patient.ndjson");
        assertThat(csvA).hasSize(PATIENTS + 3 + 1);
    }

    @AfterAll
    void removeTheFiles() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Collections.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void theWholeFileIsAttributedBeyondOneInABillion() throws IOException {
        Attribution found = tracer.trace(List.of(write("whole.csv", csvA, ',')));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
        assertThat(found.best().recipient()).isEqualTo("Vendor A");
        assertThat(found.best().rowsMatched()).isEqualTo(PATIENTS + 3L);
        assertThat(found.best().canariesFound()).isEqualTo(3);
        assertThat(found.best().falseAttribution()).isLessThan(1e-9);
    }

    @Test
    void aTenPercentSampleOfRowsIsAttributed() throws IOException {
        List<List<String>> rows = new ArrayList<>(csvA.subList(1, csvA.size()));
        Collections.shuffle(rows, new Random(1));
        List<List<String>> sample = new ArrayList<>();
        sample.add(csvA.get(0));
        sample.addAll(rows.subList(0, rows.size() / 10));

        Attribution found = tracer.trace(List.of(write("sample.csv", sample, ',')));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
        assertThat(found.best().falseAttribution()).isLessThan(1e-9);
    }

    @Test
    void onlyNameAndPhoneRenamedReorderedAndRecasedIsAttributed() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("TELEPHONE", "NOM"));
        for (List<String> row : csvA.subList(1, csvA.size())) {
            rows.add(List.of(row.get(5).toUpperCase(Locale.ROOT), row.get(1).toUpperCase(Locale.ROOT)));
        }
        Collections.shuffle(rows.subList(1, rows.size()), new Random(2));

        Attribution found = tracer.trace(List.of(write("name-phone.csv", rows, ';')));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
    }

    @Test
    void aFileWhollyRecasedIsAttributed() throws IOException {
        List<List<String>> lower = csvA.stream()
                .map(row -> row.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList())
                .toList();

        Attribution found = tracer.trace(List.of(write("lower.csv", lower, ',')));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
    }

    @Test
    void csvTurnedIntoJsonIsAttributed() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        ArrayNode array = json.createArrayNode();
        for (List<String> row : csvA.subList(1, csvA.size())) {
            ObjectNode object = array.addObject();
            object.put("telephone", row.get(5));
            object.put("naissance", row.get(3));
            object.put("prenom", row.get(2));
            object.put("nom", row.get(1));
        }
        Path file = dir.resolve("converted.json");
        Files.writeString(file, json.writeValueAsString(json.createObjectNode().set("patients", array)));

        Attribution found = tracer.trace(List.of(file));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
    }

    @Test
    void twoExportsOfOneEstablishmentAreToldApart() throws IOException {
        Attribution b = tracer.trace(List.of(write("b.csv", csvB, ',')));
        Path ndjson = dir.resolve("b.ndjson");
        Files.writeString(ndjson, ndjsonB);
        Attribution bNdjson = tracer.trace(List.of(ndjson));

        assertThat(b.best().exportId()).isEqualTo(exportB);
        assertThat(b.best().recipient()).isEqualTo("Vendor B");
        assertThat(bNdjson.attributed()).isTrue();
        assertThat(bNdjson.best().exportId()).isEqualTo(exportB);
        assertThat(tracer.trace(List.of(write("a.csv", csvA, ','))).best().exportId())
                .isEqualTo(exportA);
    }

    @Test
    void aSqlDumpOfPartOfTheRowsIsAttributed() throws IOException {
        StringBuilder sql = new StringBuilder("-- dumped\nCREATE TABLE clients (nom TEXT, tel TEXT, mail TEXT);\n");
        for (List<String> row : csvA.subList(1, 600)) {
            sql.append("INSERT INTO clients VALUES ('")
                    .append(row.get(1).replace("'", "''"))
                    .append("', '")
                    .append(row.get(5).replace("'", "''"))
                    .append("', '")
                    .append(row.get(6))
                    .append("');\n");
        }
        Path file = dir.resolve("dump.sql");
        Files.writeString(file, sql);

        Attribution found = tracer.trace(List.of(file));

        assertThat(found.attributed()).isTrue();
        assertThat(found.best().exportId()).isEqualTo(exportA);
        assertThat(found.rows()).isEqualTo(599);
    }

    @Test
    void aThousandUnrelatedDataSetsOfTheSameShapeAreNotAttributed() throws IOException {
        double smallest = 1;
        for (int i = 0; i < 1000; i++) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(csvA.get(0));
            int n = 0;
            for (SyntheticPatients.Person p : SyntheticPatients.people(300, 1000 + i)) {
                rows.add(List.of(
                        UUID.randomUUID().toString(),
                        p.lastName(),
                        p.firstName(),
                        p.birthDate().toString(),
                        p.sex(),
                        p.phone(),
                        p.email()));
                n++;
            }
            Attribution found = tracer.trace(List.of(write("unrelated.csv", rows, ',')));
            assertThat(found.attributed()).as("unrelated data set %d", i).isFalse();
            smallest = Math.min(smallest, found.best().falseAttribution());
            assertThat(n).isEqualTo(300);
        }
        System.out.println(
                "leak-trace: smallest false-attribution probability over 1,000 unrelated data sets: " + smallest);
    }

    @Test
    void theCommandAnswersWhichExportWithItsExitCode() throws IOException {
        Path leaked = write("leaked.csv", csvA.subList(0, 1600), ',');
        List<String> unrelated = new ArrayList<>(List.of("id,last_name,phone"));
        for (SyntheticPatients.Person p : SyntheticPatients.people(500, 99)) {
            unrelated.add(UUID.randomUUID() + "," + p.lastName() + "," + p.phone());
        }
        Path other = dir.resolve("other.csv");
        Files.write(other, unrelated);

        Run attributed = command(leaked.toString());
        Run not = command(other.toString());

        assertThat(attributed.status()).as(attributed.err()).isEqualTo(LeakTraceCommand.ATTRIBUTED);
        assertThat(attributed.out())
                .contains("ATTRIBUTED to export " + exportA)
                .contains("recipient: Vendor A")
                .contains("1599 of 1600 rows match");
        assertThat(not.status()).isEqualTo(LeakTraceCommand.NOT_ATTRIBUTED);
        assertThat(not.out()).contains("not from a Carnet export");
        assertThat(command().status()).isEqualTo(LeakTraceCommand.USAGE);
    }

    @Test
    void aSecurityOfficerTracesAnUploadedFileAndTheCheckIsRecorded() throws IOException {
        StringBuilder upload = new StringBuilder();
        for (List<String> row : csvB.subList(0, 300)) {
            upload.append(String.join(";", row)).append('\n');
        }
        long before = jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE resource = 'export' AND action = 'EXECUTE'"
                        + " AND actor_role = 'SECURITY_OFFICER'")
                .query(Long.class)
                .single();

        HttpResponse<String> traced = postText(port, "/api/v1/security/leak-trace", upload.toString(), officerToken);
        HttpResponse<String> refused = postText(port, "/api/v1/security/leak-trace", upload.toString(), adminToken);

        assertThat(traced.statusCode()).isEqualTo(200);
        var body = JsonMapper.builder().build().readTree(traced.body());
        assertThat(body.get("attributed").asBoolean()).isTrue();
        assertThat(body.get("best").get("exportId").asString()).isEqualTo(exportB.toString());
        assertThat(body.get("best").get("recipient").asString()).isEqualTo("Vendor B");
        assertThat(body.get("best").get("falseAttribution").asDouble()).isLessThan(1e-9);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE resource = 'export' AND action = 'EXECUTE'"
                                + " AND actor_role = 'SECURITY_OFFICER'")
                        .query(Long.class)
                        .single())
                .isEqualTo(before + 1);
    }

    /** A {@code text/plain} POST with a bearer token (the leak-trace upload), as a program would send it. */
    static HttpResponse<String> postText(int port, String path, String text, String token) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "text/plain; charset=UTF-8")
                                    .POST(HttpRequest.BodyPublishers.ofString(text))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Run(int status, String out, String err) {}

    private Run command(String... files) {
        List<String> args = new ArrayList<>(List.of("leak-trace"));
        args.addAll(List.of(files));
        for (String property : List.of(
                "spring.datasource.url",
                "spring.datasource.username",
                "spring.datasource.password",
                "spring.flyway.user",
                "spring.flyway.password",
                "carnet.data-dir")) {
            String value = environment.getProperty(property);
            if (value != null) {
                args.add("--" + property + "=" + value);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = LeakTraceCommand.run(
                CarnetApplication.class,
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, List<List<String>> rows, char delimiter) throws IOException {
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                if (cell.indexOf(delimiter) >= 0 || cell.indexOf('"') >= 0) {
                    cell = '"' + cell.replace("\"", "\"\"") + '"';
                }
                text.append(i == 0 ? "" : String.valueOf(delimiter)).append(cell);
            }
            text.append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            if (!line.isEmpty()) {
                rows.add(List.of(line.split(",", -1)));
            }
        }
        return rows;
    }

    private Map<String, String> export(
            Api api, String adminToken, String officerToken, TestRecipient recipient, String name) throws IOException {
        String id = api.post(
                        "/api/v1/establishment/exports",
                        Map.of(
                                "recipient", name,
                                "recipientKey", recipient.publicKey(),
                                "scope", List.of("PATIENTS"),
                                "from", LocalDate.now().minusYears(1).toString(),
                                "to", LocalDate.now().toString()),
                        adminToken)
                .body()
                .get("id")
                .asString();
        String link = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken)
                .body()
                .get("downloadUrl")
                .asString();
        byte[] file;
        try {
            file = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> entries = new java.util.HashMap<>(ExportApiIntegrationTest.unzip(recipient.open(file)));
        entries.put("id", id);
        return entries;
    }
}
