package org.carnet.identity;

import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Lets only a few password hashes run at once: each Argon2id hash takes 19 MiB and a core for tens of
 * milliseconds, so a sign-in rush queues here instead of exhausting memory and starving bookings.
 */
class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;

    BoundedPasswordEncoder(PasswordEncoder delegate, int concurrency) {
        this.delegate = delegate;
        this.permits = new Semaphore(concurrency, true);
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        permits.acquireUninterruptibly();
        try {
            return delegate.encode(rawPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        permits.acquireUninterruptibly();
        try {
            return delegate.matches(rawPassword, encodedPassword);
        } finally {
            permits.release();
        }
    }
}
