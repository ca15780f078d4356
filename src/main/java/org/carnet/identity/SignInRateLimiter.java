package org.carnet.identity;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits sign-in, registration and message-verification ({@code /verifier}) attempts per source address (a token bucket each), whatever the
 * account tried, so that password spraying over many accounts is slowed down as much as guessing one.
 * Beyond the limit: 429 with Retry-After. The buckets live in this node's memory; with several nodes
 * each one limits on its own, which still bounds an address to nodes × the limit.
 */
class SignInRateLimiter extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of(
            "/login",
            "/login/code",
            "/login/webauthn",
            "/register",
            "/api/v1/auth/token",
            "/api/v1/patients",
            "/verifier");
    private static final int MAX_ADDRESSES = 100_000;

    private final int perMinute;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    SignInRateLimiter(SecurityProperties properties) {
        this.perMinute = properties.signInsPerMinute();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !LIMITED.contains(request.getRequestURI()
                        .substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe probe = bucketOf(request.getRemoteAddr()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(seconds));
        if (request.getRequestURI().startsWith(request.getContextPath() + "/api/")) {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream()
                    .write(("{\"type\":\"https://carnet.example/problems/too-many-attempts\",\"title\":\"Too many"
                                    + " attempts\",\"status\":429,\"detail\":\"Too many sign-in attempts from this"
                                    + " address; retry later.\"}")
                            .getBytes(StandardCharsets.UTF_8));
        } else {
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter()
                    .write("Trop de tentatives depuis cette adresse. Réessayez dans " + seconds
                            + " s. / Too many attempts from this address; retry in " + seconds + " s.");
        }
    }

    private synchronized Bucket bucketOf(String address) {
        return buckets.computeIfAbsent(
                address,
                a -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(perMinute)
                                .refillGreedy(perMinute, Duration.ofMinutes(1))
                                .build())
                        .build());
    }

    /** Forgets every address (tests that need a fresh limit). */
    synchronized void forgetAll() {
        buckets.clear();
    }
}
