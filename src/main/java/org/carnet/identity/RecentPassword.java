package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The current password given again in this session, for what must not be done with a session alone
 * (a stolen cookie, a computer left signed in): adding a passkey. It holds {@link #WINDOW}.
 */
final class RecentPassword {

    static final Duration WINDOW = Duration.ofMinutes(5);
    static final String ATTRIBUTE = "carnet.password-confirmed-at";

    private RecentPassword() {}

    static void confirmed(HttpServletRequest request, Clock clock) {
        request.getSession().setAttribute(ATTRIBUTE, clock.instant());
    }

    /** Whether this request's session confirmed the password within the window. */
    static boolean holds(HttpServletRequest request, Clock clock) {
        HttpSession session = request.getSession(false);
        return session != null && within(session.getAttribute(ATTRIBUTE), clock.instant());
    }

    static boolean within(@Nullable Object confirmedAt, Instant now) {
        return confirmedAt instanceof Instant at
                && !at.isAfter(now)
                && Duration.between(at, now).compareTo(WINDOW) <= 0;
    }
}
