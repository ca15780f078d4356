package org.carnet.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.carnet.crypto.BlindIndex;
import org.carnet.identity.limits.SharedBuckets;
import org.carnet.identity.limits.SourceNetwork;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits sign-in, registration, current-password checks and message verification ({@code /verifier})
 * per source (an IPv4 address or an IPv6
 * /64), whatever the account tried, so that password spraying over many accounts is slowed down as
 * much as guessing one. Beyond the limit: 429 with Retry-After. Requests are matched the way Spring
 * Security and Spring MVC route them (path patterns over the decoded, normalised path), so that an
 * encoded spelling such as {@code /l%6Fgin} counts as {@code /login}. The buckets live in the
 * database, shared by every node, named by a keyed hash of the source (no readable address at rest). A password check that finds every hashing permit taken for too
 * long is answered here too: 503 with Retry-After.
 */
class SignInRateLimiter extends OncePerRequestFilter {

    static final List<String> LIMITED_PATHS = List.of(
            "/login",
            "/login/code",
            "/login/webauthn",
            "/register",
            "/api/v1/auth/token",
            "/api/v1/patients",
            "/account/security/password",
            "/account/security/email",
            "/account/security/recovery-codes",
            "/account/security/totp/remove",
            "/account/security/passkeys/confirm",
            "/account/security/rpps",
            "/verifier",
            "/me/email-confirmation",
            "/me/email-confirmation/code",
            "/api/v1/me/email-confirmation",
            "/api/v1/me/email-confirmation/code");
    private static final List<RequestMatcher> LIMITED = LIMITED_PATHS.stream()
            .map(path ->
                    (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path))
            .toList();
    /** A bucket untouched for this long is full again: its row can go. */
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final SharedBuckets buckets;
    private final BlindIndex blindIndex;
    private final BucketConfiguration configuration;
    private final Clock clock;

    SignInRateLimiter(SecurityProperties properties, SharedBuckets buckets, BlindIndex blindIndex, Clock clock) {
        this.buckets = buckets;
        this.blindIndex = blindIndex;
        this.clock = clock;
        int perMinute = properties.signInsPerMinute();
        this.configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perMinute)
                        .refillGreedy(perMinute, Duration.ofMinutes(1))
                        .build())
                .build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return LIMITED.stream().noneMatch(matcher -> matcher.matches(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe probe = buckets.getProxy(bucketName(request.getRemoteAddr()), () -> configuration)
                .tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
            refuse(request, response, 429, seconds);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (PasswordHashingBusy e) {
            refuse(request, response, 503, PasswordHashingBusy.RETRY_AFTER_SECONDS);
        }
    }

    /** The source's bucket, named by a keyed hash: the table holds no readable address. */
    private String bucketName(String remoteAddress) {
        return "sign-in:"
                + HexFormat.of().formatHex(blindIndex.of("rate-limit-source", SourceNetwork.of(remoteAddress)));
    }

    /** 429 (too many attempts from this source) or 503 (too many password checks at once), with Retry-After. */
    static void refuse(HttpServletRequest request, HttpServletResponse response, int status, long seconds)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Retry-After", Long.toString(seconds));
        boolean busy = status == 503;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/")) {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            String body = busy
                    ? "{\"type\":\"https://carnet.example/problems/busy\",\"title\":\"Busy\",\"status\":503,"
                            + "\"detail\":\"Too many sign-ins at once; retry in a moment.\"}"
                    : "{\"type\":\"https://carnet.example/problems/too-many-attempts\",\"title\":\"Too many"
                            + " attempts\",\"status\":429,\"detail\":\"Too many sign-in attempts from this"
                            + " address; retry later.\"}";
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        } else {
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter()
                    .write(
                            busy
                                    ? "Trop de connexions en même temps. Réessayez dans " + seconds
                                            + " s. / Too many sign-ins at once; retry in " + seconds + " s."
                                    : "Trop de tentatives depuis cette adresse. Réessayez dans " + seconds
                                            + " s. / Too many attempts from this address; retry in " + seconds
                                            + " s.");
        }
    }

    /** Drops the rows of buckets nobody used for a while, on whichever node runs it first. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT10M")
    void pruneIdleBuckets() {
        buckets.prune(clock.instant().minus(IDLE));
    }

    /** Forgets the bucket of one source (tests that need a fresh limit). */
    void forget(String remoteAddress) {
        buckets.removeProxy(bucketName(remoteAddress));
    }

    /** Forgets the buckets of the test sources: 127.0.0.1 and ::1. */
    void forgetAll() {
        forget("127.0.0.1");
        forget("::1");
    }
}
