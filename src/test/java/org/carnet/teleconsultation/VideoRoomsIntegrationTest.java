package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The video rooms' server side (docs/e2e.md, "Video"), with nimbus-jose-jwt sealing the signalling as the
 * browsers do: a room's hours follow its appointment, only its patient and its practitioner get it (each
 * look recorded, every other person refused and recorded), its TURN credentials are coturn's REST API
 * ones (expiry and HMAC of the shared secret); the WebSocket lets in the two parties only, from Carnet's
 * own origin, relays nothing before the practitioner admits the patient, and then relays each sealed
 * message unchanged to the other side, refusing one bound to another sender.
 */
@CarnetIntegrationTest
@DirtiesContext // its professional logins must not reach tests that count the demo ones
@TestPropertySource(
        properties = {
            "carnet.video.opens-before=P7D",
            "carnet.video.closes-after=PT1H",
            "carnet.video.turn.uris=turn:127.0.0.1:3478?transport=udp",
            "carnet.video.turn.secret=" + VideoRoomsIntegrationTest.SECRET,
            "carnet.video.turn.credential-lifetime=PT20M"
        })
class VideoRoomsIntegrationTest {

    static final String SECRET = "a-test-only-turn-secret-of-forty-characters";
    private static final String PASSWORD = "correct horse battery staple";
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    ConsultationParties parties;
    Professionals professionals;
    UUID appointment;
    OctetSequenceKey key;
    PageClient patientPages;
    PageClient practitionerPages;
    final List<Socket> sockets = new java.util.ArrayList<>();

    @BeforeEach
    void aTeleconsultationWithItsKeyAndBothPartiesSignedIn() {
        parties = new ConsultationParties(port, directory, agendas, logins, transactions);
        professionals = new Professionals(logins, transactions);
        appointment = parties.book(0);
        key = parties.setUpKey(appointment);
        patientPages = new PageClient(port);
        patientPages.signIn(parties.patient.email(), PASSWORD, null);
        practitionerPages = signedIn(parties.practitionerLogin);
    }

    @AfterEach
    void closeSockets() {
        sockets.forEach(Socket::close);
    }

    @Test
    void theRoomFollowsItsAppointmentsHoursAndHandsItsTwoPartiesCoturnCredentials() throws Exception {
        JsonNode booked = parties.api
                .get("/api/v1/appointments/" + appointment, parties.patient.token())
                .body();
        Instant start = Instant.parse(booked.get("start").asString());
        Instant end = Instant.parse(booked.get("end").asString());
        JsonNode room = json(patientPages.get(roomPath(appointment)));
        assertThat(room.get("party").asString()).isEqualTo("patient:" + parties.patient.account());
        assertThat(room.get("peer").asString())
                .isEqualTo("practitioner:" + parties.agenda.practitioner().id());
        assertThat(Instant.parse(room.get("opensAt").asString())).isEqualTo(start.minus(Duration.ofDays(7)));
        assertThat(Instant.parse(room.get("closesAt").asString())).isEqualTo(end.plus(Duration.ofHours(1)));
        assertThat(room.get("open").asBoolean()).isTrue();

        // The TURN REST API's credentials: "<expiry>:<consultation>", and the HMAC-SHA1 coturn recomputes.
        JsonNode turn = room.get("iceServers").get(0);
        assertThat(turn.get("urls").get(0).asString()).isEqualTo("turn:127.0.0.1:3478?transport=udp");
        String username = turn.get("username").asString();
        assertThat(username).endsWith(":" + appointment);
        Instant expiry = Instant.ofEpochSecond(Long.parseLong(username.substring(0, username.indexOf(':'))));
        assertThat(expiry)
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(19)),
                        Instant.now().plus(Duration.ofMinutes(21)));
        assertThat(Instant.parse(room.get("credentialsExpireAt").asString())).isEqualTo(expiry);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(turn.get("credential").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8))));

        JsonNode practitioners = json(practitionerPages.get(roomPath(appointment)));
        assertThat(practitioners.get("party").asString())
                .isEqualTo("practitioner:" + parties.agenda.practitioner().id());
        assertThat(practitioners.get("peer").asString()).isEqualTo("patient:" + parties.patient.account());

        // Anyone else gets what a room that does not exist gets, each refusal recorded: another patient,
        // a secretary of the establishment, a practitioner of another one.
        PageClient otherPatient = new PageClient(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.registered(parties.api, registration);
        otherPatient.signIn((String) registration.get("email"), PASSWORD, null);
        PageClient staff = signedIn(
                professionals.staff(Role.STAFF, parties.agenda.establishment().id()));
        PageClient stranger = signedIn(parties.strangerLogin);
        // A colleague of the same establishment, whom the access decision lets read the consultation's
        // ciphertext for continuity of care, is not a party to the call either.
        org.carnet.directory.Practitioner colleague = directory.addPractitioner(
                parties.agenda.establishment().id(),
                org.carnet.directory.Rpps.of(6_100_000_000L + new SecureRandom().nextInt(90_000_000)),
                "Collègue",
                "Test",
                parties.agenda.practitioner().specialty());
        // The colleague sees the patient too (an appointment of theirs): in care, yet not in this call.
        org.carnet.directory.VisitMotive motive = directory.addMotive(colleague.id(), "Consultation de test", 30, true);
        agendas.defineOpeningHours(
                colleague.id(),
                30,
                java.util.Arrays.stream(java.time.DayOfWeek.values())
                        .map(day -> new org.carnet.scheduling.WeeklyHours(
                                day, java.time.LocalTime.of(8, 0), java.time.LocalTime.of(20, 0)))
                        .toList());
        Fixtures.Agenda colleagues = new Fixtures.Agenda(parties.agenda.establishment(), colleague, motive);
        Fixtures.book(
                parties.api,
                parties.patient,
                colleagues,
                Fixtures.freeSlotIdsFromTomorrow(parties.api, colleagues).get(0));
        PageClient colleaguePages = signedIn(professionals.practitioner(
                colleague.id(), parties.agenda.establishment().id()));
        PageClient.Page none = otherPatient.get(roomPath(UUID.randomUUID()));
        assertThat(none.status()).isEqualTo(404);
        for (PageClient outsider : List.of(otherPatient, staff, stranger, colleaguePages)) {
            PageClient.Page refused = outsider.get(roomPath(appointment));
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.body()).isEqualTo(none.body());
            assertThat(refused.body()).doesNotContain(SECRET).doesNotContain(appointment.toString());
        }
        assertThat(jdbc.sql("SELECT actor_role FROM audit_log WHERE patient_id = ? AND resource = 'consultation-call'"
                                + " AND outcome = 'DENIED'")
                        .param(parties.patient.account())
                        .query(String.class)
                        .list())
                .contains("PATIENT", "STAFF", "PRACTITIONER");
        assertThat(jdbc.sql("SELECT actor_role FROM audit_log WHERE patient_id = ? AND resource = 'consultation-call'"
                                + " AND outcome = 'ALLOWED'")
                        .param(parties.patient.account())
                        .query(String.class)
                        .list())
                .contains("PATIENT", "PRACTITIONER");
    }

    @Test
    void aRoomBeforeItsHoursWithoutAKeyOrCancelledLetsNobodyIn() {
        // More than seven days ahead: the room exists but is not open yet; no credentials, no socket.
        List<JsonNode> later = Fixtures.freeSlotsFrom(
                parties.api,
                parties.agenda,
                java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris")).plusDays(9));
        assertThat(later).as("the fixture agenda has slots nine days ahead").isNotEmpty();
        UUID far = Fixtures.book(
                parties.api,
                parties.patient,
                parties.agenda,
                later.get(0).get("id").asString());
        parties.setUpKey(far);
        JsonNode room = json(patientPages.get(roomPath(far)));
        assertThat(room.get("open").asBoolean()).isFalse();
        assertThat(room.get("iceServers").isEmpty()).isTrue();
        assertThat(handshakeStatus(patientPages.sessionCookie(), origin(), far)).isEqualTo(409);

        // Before the patient's client set the consultation key up there is no room (the signalling needs it).
        UUID keyless = parties.book(1);
        assertThat(patientPages.get(roomPath(keyless)).status()).isEqualTo(404);
        assertThat(handshakeStatus(patientPages.sessionCookie(), origin(), keyless))
                .isEqualTo(404);

        // A cancelled appointment's room is closed.
        assertThat(parties.api
                        .delete("/api/v1/appointments/" + appointment, parties.patient.token())
                        .status())
                .isEqualTo(204);
        assertThat(json(patientPages.get(roomPath(appointment))).get("open").asBoolean())
                .isFalse();
        assertThat(handshakeStatus(patientPages.sessionCookie(), origin(), appointment))
                .isEqualTo(409);
    }

    @Test
    void theSocketRelaysSealedSignallingBetweenTheTwoPartiesOnlyOnceThePractitionerAdmitsThePatient() throws Exception {
        // Refused at the door: no session, another patient's session, a page of another site.
        assertThat(handshakeStatus(null, origin(), appointment)).isNotEqualTo(101);
        PageClient otherPatient = new PageClient(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.registered(parties.api, registration);
        otherPatient.signIn((String) registration.get("email"), PASSWORD, null);
        assertThat(handshakeStatus(otherPatient.sessionCookie(), origin(), appointment))
                .isEqualTo(404);
        assertThat(handshakeStatus(patientPages.sessionCookie(), "http://evil.example", appointment))
                .isEqualTo(403);

        String patientItem = "patient:" + parties.patient.account();
        String practitionerItem =
                "practitioner:" + parties.agenda.practitioner().id();
        Socket patient = connect(patientPages.sessionCookie());
        assertThat(patient.next()).isEqualTo(Map.of("type", "room", "peer", false, "admitted", false));
        // In the waiting room nothing goes through.
        String patientSession = aSession();
        patient.send(signal(patientItem, patientSession, 0, "{\"v\":1,\"type\":\"hangup\"}"));
        assertThat(patient.next()).isEqualTo(Map.of("type", "error", "code", "not-admitted"));

        Socket practitioner = connect(practitionerPages.sessionCookie());
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", false));
        assertThat(patient.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", false));
        // Both there, nobody let in yet: nothing goes through either way.
        practitioner.send(signal(practitionerItem, aSession(), 0, "{\"v\":1,\"type\":\"hangup\"}"));
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "error", "code", "not-admitted"));
        // The patient cannot let themselves in; the practitioner can.
        patient.send("{\"type\":\"admit\"}");
        assertThat(patient.next()).isEqualTo(Map.of("type", "error", "code", "cannot-admit"));
        practitioner.send("{\"type\":\"admit\"}");
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", true));
        assertThat(patient.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", true));

        // A sealed message reaches the other side as it was sealed, named as the practitioner's, and opens.
        String practitionerSession = aSession();
        // An offer of 12 kB: its frame (base64url and JSON) is over Tomcat's default 8 KiB message buffer.
        String offer = "{\"v\":1,\"type\":\"offer\",\"sdp\":\"v=0" + "\\r\\na=x".repeat(2000) + "\"}";
        Map<String, Object> sent = signal(practitionerItem, practitionerSession, 0, offer);
        practitioner.send(sent);
        Map<String, Object> received = patient.next();
        assertThat(received.get("from")).isEqualTo(practitionerItem);
        assertThat(received.get("session")).isEqualTo(practitionerSession);
        assertThat(((Number) received.get("seq")).longValue()).isZero();
        assertThat(received.get("envelope")).isEqualTo(sent.get("envelope"));
        byte[] opened = JoseClient.openItem(
                JSON.readTree(JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(received, "envelope"))),
                key,
                appointment,
                Bindings.SIGNAL_KIND,
                Bindings.SIGNAL_CONTENT_TYPE,
                practitionerItem + "/" + practitionerSession + "/0");
        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo(offer);

        // A message sealed as the patient's but sent by the practitioner is refused and goes nowhere.
        practitioner.send(signal(patientItem, practitionerSession, 1, offer));
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "error", "code", "refused"));
        // (The next frame the patient sees is the practitioner's next genuine one, not the forged one.)
        practitioner.send(signal(practitionerItem, practitionerSession, 1, "{\"v\":1,\"type\":\"hangup\"}"));
        assertThat(((Number) patient.next().get("seq")).longValue()).isEqualTo(1);

        // The patient leaves: the practitioner is told, and a patient who comes back waits to be let in.
        patient.close();
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "room", "peer", false, "admitted", false));
        Socket back = connect(patientPages.sessionCookie());
        assertThat(back.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", false));
        assertThat(practitioner.next()).isEqualTo(Map.of("type", "room", "peer", true, "admitted", false));

        assertThat(jdbc.sql("SELECT actor_role FROM audit_log WHERE patient_id = ? AND resource = 'consultation-call'"
                                + " AND outcome = 'DENIED'")
                        .param(parties.patient.account())
                        .query(String.class)
                        .list())
                .contains("PATIENT");
    }

    private Map<String, Object> signal(String sender, String session, long seq, String plaintext) {
        Map<String, Object> frame = new HashMap<>();
        frame.put("type", "signal");
        frame.put("session", session);
        frame.put("seq", seq);
        frame.put(
                "envelope",
                JoseClient.sealItem(
                        key,
                        appointment,
                        Bindings.SIGNAL_KIND,
                        Bindings.SIGNAL_CONTENT_TYPE,
                        sender + "/" + session + "/" + seq,
                        plaintext.getBytes(StandardCharsets.UTF_8)));
        return frame;
    }

    private static String aSession() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private PageClient signedIn(Professionals.Login login) {
        PageClient pages = new PageClient(port);
        pages.signIn(login.email(), login.password(), login.totpSecret());
        return pages;
    }

    private static String roomPath(UUID appointmentId) {
        return "/e2e/consultations/" + appointmentId + "/video";
    }

    private String origin() {
        return "http://127.0.0.1:" + port;
    }

    private static JsonNode json(PageClient.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return JSON.readTree(page.body());
    }

    private URI socketUri(UUID appointmentId) {
        return URI.create("ws://127.0.0.1:" + port + "/e2e/consultations/" + appointmentId + "/video/signal");
    }

    /** The HTTP status of the upgrade request: 101 when the socket opens. */
    private int handshakeStatus(String session, String origin, UUID appointmentId) {
        Throwable failed = catchThrowable(() -> sockets.add(open(session, origin, appointmentId)));
        if (failed == null) {
            return 101;
        }
        Throwable cause = failed instanceof CompletionException ? failed.getCause() : failed;
        assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    private Socket connect(String session) {
        Socket socket = open(session, origin(), appointment);
        sockets.add(socket);
        return socket;
    }

    private Socket open(String session, String origin, UUID appointmentId) {
        Socket socket = new Socket();
        WebSocket.Builder builder =
                HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin);
        if (session != null) {
            builder.header("Cookie", "SESSION=" + session);
        }
        socket.socket = builder.buildAsync(socketUri(appointmentId), socket).join();
        return socket;
    }

    /** A socket as a test drives it: what it received, in order. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(Object frame) {
            String text = frame instanceof String s ? s : JSONObjectUtils.toJSONString(castMap(frame));
            socket.sendText(text, true).join();
        }

        /** The next frame, waiting for it (up to 10 s). */
        Map<String, Object> next() throws Exception {
            String frame = frames.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(frame).as("a frame arrived").isNotNull();
            return JSONObjectUtils.parse(frame);
        }

        void close() {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            }
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> castMap(Object frame) {
            return (Map<String, Object>) frame;
        }
    }
}
