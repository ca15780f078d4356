package org.carnet.identity;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Lets only a few password hashes run at once: each Argon2id hash takes 19 MiB and a core for tens of
 * milliseconds, so a sign-in rush queues here instead of exhausting memory and starving bookings. The
 * queue is short: beyond {@code wait} a hash is refused with {@link PasswordHashingBusy} (answered 503
 * with Retry-After), so that a burst cannot pile up threads without end. Callers hash outside any
 * transaction, so waiting here never holds a database connection.
 */
class BoundedPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final Semaphore permits;
    private final long waitNanos;

    BoundedPasswordEncoder(PasswordEncoder delegate, int concurrency, Duration wait) {
        this.delegate = delegate;
        this.permits = new Semaphore(concurrency, true);
        this.waitNanos = wait.toNanos();
    }

    @Override
    public @Nullable String encode(@Nullable CharSequence rawPassword) {
        acquire();
        try {
            return delegate.encode(rawPassword);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
        acquire();
        try {
            return delegate.matches(rawPassword, encodedPassword);
        } finally {
            permits.release();
        }
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                throw new PasswordHashingBusy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PasswordHashingBusy();
        }
    }

    /** The permits themselves, for a test that holds them all to stand for a burst already hashing. */
    Semaphore permits() {
        return permits;
    }
}
