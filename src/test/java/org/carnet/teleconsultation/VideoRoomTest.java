package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** A room's hours at their edges, coturn's REST API credentials, and the settings refused at start. */
class VideoRoomTest {

    private static final Instant OPENS = Instant.parse("2026-12-07T08:45:00Z");
    private static final Instant CLOSES = Instant.parse("2026-12-07T10:30:00Z");
    private static final UUID APPOINTMENT = UUID.fromString("3f1c2a6e-8b4d-4c1e-9a57-2d6f0b9e4c11");

    @Test
    void aRoomIsOpenFromItsOpeningToJustBeforeItsClosingAndOnlyWhileBooked() {
        VideoRooms.Room room = room(true);
        assertThat(room.openAt(OPENS.minusSeconds(1))).isFalse();
        assertThat(room.openAt(OPENS)).isTrue();
        assertThat(room.openAt(CLOSES.minusSeconds(1))).isTrue();
        assertThat(room.openAt(CLOSES)).isFalse();
        assertThat(room(false).openAt(OPENS.plusSeconds(60))).as("cancelled").isFalse();
    }

    @Test
    void turnCredentialsAreTheExpiryAndConsultationSignedWithTheSharedSecret() throws Exception {
        String secret = "0123456789abcdef0123456789abcdef";
        TurnCredentials credentials = TurnCredentials.issue(
                List.of("turn:127.0.0.1:3478?transport=udp"),
                secret,
                APPOINTMENT,
                Instant.ofEpochSecond(1796205600, 999));
        assertThat(credentials.username()).isEqualTo("1796205600:" + APPOINTMENT);
        assertThat(credentials.expiresAt()).isEqualTo(Instant.ofEpochSecond(1796205600));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        assertThat(credentials.credential())
                .isEqualTo(Base64.getEncoder()
                        .encodeToString(mac.doFinal(credentials.username().getBytes(StandardCharsets.UTF_8))));
        assertThat(credentials.toString()).doesNotContain(credentials.credential());
    }

    @Test
    void aRelayWithoutAStrongSecretOrAMalformedUriDoesNotStart() {
        assertThatThrownBy(() ->
                        new VideoProperties.Turn(List.of("turn:turn.example.org:3478"), "short", Duration.ofHours(1)))
                .hasMessageContaining("secret");
        assertThatThrownBy(() -> new VideoProperties.Turn(
                        List.of("http://turn.example.org"), "0123456789abcdef0123456789abcdef", Duration.ofHours(1)))
                .hasMessageContaining("URI");
        assertThatThrownBy(() -> new VideoProperties(
                        Duration.ofDays(8),
                        Duration.ofHours(1),
                        new VideoProperties.Turn(List.of(), null, Duration.ofHours(1))))
                .hasMessageContaining("opens-before");
        assertThat(new VideoProperties.Turn(
                                List.of("turn:turn.example.org:3478?transport=tcp"),
                                "0123456789abcdef0123456789abcdef",
                                Duration.ofHours(1))
                        .toString())
                .doesNotContain("0123456789abcdef");
    }

    private static VideoRooms.Room room(boolean booked) {
        return new VideoRooms.Room(
                APPOINTMENT,
                UUID.randomUUID(),
                SubjectKind.PATIENT,
                UUID.randomUUID(),
                SubjectKind.PRACTITIONER,
                UUID.randomUUID(),
                OPENS,
                CLOSES,
                booked);
    }
}
