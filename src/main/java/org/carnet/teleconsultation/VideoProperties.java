package org.carnet.teleconsultation;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The teleconsultation video rooms (docs/e2e.md, "Video").
 *
 * @param opensBefore how long before the appointment's start its room opens
 * @param closesAfter how long after the appointment's end its room stays open
 * @param turn the TURN relay the two browsers may use, with credentials Carnet issues per consultation
 */
@Validated
@ConfigurationProperties("carnet.video")
public record VideoProperties(
        @NotNull Duration opensBefore,
        @NotNull Duration closesAfter,
        @NotNull @Valid Turn turn) {

    /**
     * coturn with {@code use-auth-secret} (the TURN REST API scheme): Carnet and coturn share a secret;
     * Carnet hands each party a username {@code <expiry>:<consultation>} and its HMAC as the password.
     *
     * @param uris {@code turn:host:port?transport=udp|tcp} (or {@code turns:}) URIs; empty: no relay offered
     * @param secret coturn's {@code static-auth-secret}, at least 32 characters (set it from the environment)
     * @param credentialLifetime how long an issued credential is valid (at most until the room closes)
     */
    public record Turn(
            List<String> uris,
            @Nullable String secret,
            @NotNull Duration credentialLifetime) {
        public Turn {
            uris = uris == null ? List.of() : List.copyOf(uris);
            for (String uri : uris) {
                if (!uri.matches("turns?:[A-Za-z0-9.\\-\\[\\]:]+(\\?transport=(udp|tcp))?")) {
                    throw new IllegalArgumentException("carnet.video.turn.uris: not a turn: or turns: URI");
                }
            }
            if (!uris.isEmpty() && (secret == null || secret.length() < 32)) {
                throw new IllegalArgumentException(
                        "carnet.video.turn.secret must hold at least 32 characters when TURN URIs are set");
            }
            if (credentialLifetime != null
                    && (credentialLifetime.compareTo(Duration.ofMinutes(1)) < 0
                            || credentialLifetime.compareTo(Duration.ofHours(12)) > 0)) {
                throw new IllegalArgumentException(
                        "carnet.video.turn.credential-lifetime must be from 1 minute to 12 hours");
            }
        }

        @Override
        public String toString() {
            return "Turn[uris=" + uris + ", secret=<redacted>, credentialLifetime=" + credentialLifetime + "]";
        }
    }

    public VideoProperties {
        if (opensBefore != null && (opensBefore.isNegative() || opensBefore.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("carnet.video.opens-before must be from 0 to 7 days");
        }
        if (closesAfter != null && (closesAfter.isNegative() || closesAfter.compareTo(Duration.ofDays(1)) > 0)) {
            throw new IllegalArgumentException("carnet.video.closes-after must be from 0 to 1 day");
        }
    }
}
