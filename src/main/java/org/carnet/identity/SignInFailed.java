package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A password sign-in was refused for a wrong password or an unknown address (not for a locked account,
 * nor for a password given right). Published synchronously, outside any transaction; breach detection
 * counts these per account, per source and across the platform. Carries no address typed, no password.
 *
 * @param userId the login whose password was wrong, or {@code null} when no login has the address
 * @param source the source network the request came from ({@code v4:…}, {@code v6:…/64}), or {@code null}
 *     outside a request
 */
public record SignInFailed(@Nullable UUID userId, @Nullable String source, Instant at) {

    @Override
    public String toString() {
        return "SignInFailed[userId=" + userId + ", source redacted, at=" + at + "]";
    }
}
