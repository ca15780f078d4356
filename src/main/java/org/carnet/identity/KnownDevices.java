package org.carnet.identity;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseCookie;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The browsers a login has signed in from. Each browser carries a random cookie; a complete page
 * sign-in (every factor given, whatever the way) from a browser the login has not used before is
 * published as {@link SignedInFromNewDevice}, so that the owner hears of a sign-in they did not make.
 * The very first sign-in of a login tells no one (there is no "before" to compare with). Only the
 * cookie's SHA-256 is stored; the notice names the browser's family and system, never an address.
 *
 * <p>API tokens are not devices: a program signs in anew each time. A stolen cookie lets its thief
 * sign in without the notice, which is why it is HttpOnly and Secure like the session's.
 */
@Component
class KnownDevices {

    static final String COOKIE = "carnet-device";
    static final Duration LIFETIME = Duration.ofDays(400);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcOperations jdbc;
    private final TransactionOperations transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    KnownDevices(
            JdbcOperations jdbc, TransactionOperations transactions, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    /** Records this browser for the login now fully signed in; tells the owner if it is new to them. */
    void signedIn(CarnetPrincipal principal, HttpServletRequest request, HttpServletResponse response) {
        String device = cookie(request).orElseGet(KnownDevices::newDevice);
        byte[] hash = DigestUtils.sha256(device);
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            // Serialises two sign-ins of one login, so that "first device ever" is decided once.
            jdbc.queryForList("SELECT id FROM user_accounts WHERE id = ? FOR UPDATE", principal.userId());
            int seen = jdbc.update(
                    "UPDATE known_devices SET last_seen_at = ? WHERE user_id = ? AND device_hash = ?",
                    Timestamp.from(now),
                    principal.userId(),
                    hash);
            if (seen == 1) {
                return;
            }
            jdbc.update(
                    "DELETE FROM known_devices WHERE user_id = ? AND last_seen_at < ?",
                    principal.userId(),
                    Timestamp.from(now.minus(LIFETIME)));
            Integer others = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM known_devices WHERE user_id = ?", Integer.class, principal.userId());
            jdbc.update(
                    "INSERT INTO known_devices (user_id, device_hash, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)",
                    principal.userId(),
                    hash,
                    Timestamp.from(now),
                    Timestamp.from(now));
            if (others != null && others > 0) {
                events.publishEvent(new SignedInFromNewDevice(
                        principal.userId(),
                        principal.subjectId(),
                        principal.role(),
                        now,
                        browser(request.getHeader("User-Agent"))));
            }
        });
        response.addHeader(
                "Set-Cookie",
                ResponseCookie.from(COOKIE, device)
                        .path("/")
                        .maxAge(LIFETIME)
                        .httpOnly(true)
                        .secure(true)
                        .sameSite("Lax")
                        .build()
                        .toString());
    }

    /**
     * The browser's family and system, from a closed list ("Firefox, Linux"; "—" when neither is
     * recognised): never the raw header, which anyone can write.
     */
    static String browser(@Nullable String userAgent) {
        String agent = userAgent == null ? "" : userAgent.toLowerCase(Locale.ROOT);
        @Nullable
        String family = agent.contains("edg/")
                ? "Edge"
                : agent.contains("firefox/")
                        ? "Firefox"
                        : agent.contains("chrome/") || agent.contains("chromium/")
                                ? "Chrome"
                                : agent.contains("safari/") ? "Safari" : null;
        @Nullable
        String system = agent.contains("android")
                ? "Android"
                : agent.contains("iphone") || agent.contains("ipad")
                        ? "iOS"
                        : agent.contains("windows")
                                ? "Windows"
                                : agent.contains("mac os") ? "macOS" : agent.contains("linux") ? "Linux" : null;
        if (family == null) {
            return system == null ? "—" : system;
        }
        return system == null ? family : family + ", " + system;
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        return Arrays.stream(cookies)
                .filter(c -> COOKIE.equals(c.getName()))
                .map(Cookie::getValue)
                // Only a value this class could have made: 32 random bytes, base64url.
                .filter(value -> value.matches("[A-Za-z0-9_-]{43}"))
                .findFirst();
    }

    private static String newDevice() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
