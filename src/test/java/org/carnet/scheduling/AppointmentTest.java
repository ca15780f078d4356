package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.ConflictException;
import org.junit.jupiter.api.Test;

class AppointmentTest {

    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    static final Duration CUTOFF = Duration.ofHours(2);

    static Appointment aBookedAppointment() {
        return new Appointment(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                START,
                START.plus(Duration.ofMinutes(20)),
                UUID.randomUUID(),
                "Consultation",
                null,
                Appointment.Status.BOOKED,
                START.minus(Duration.ofDays(3)),
                null);
    }

    @Test
    void canBeCancelledBeforeTheCutoff() {
        Appointment cancelled =
                aBookedAppointment().cancelled(START.minus(CUTOFF).minusSeconds(1), CUTOFF);
        assertThat(cancelled.status()).isEqualTo(Appointment.Status.CANCELLED);
    }

    @Test
    void cannotBeCancelledOnceTheCutoffIsReached() {
        assertThatThrownBy(() -> aBookedAppointment().cancelled(START.minus(CUTOFF), CUTOFF))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("no longer be changed");
    }

    @Test
    void cannotBeCancelledAfterItStarted() {
        assertThatThrownBy(() -> aBookedAppointment().cancelled(START.plusSeconds(60), CUTOFF))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void cannotBeCancelledTwice() {
        Appointment cancelled = aBookedAppointment().cancelled(START.minus(Duration.ofDays(1)), CUTOFF);
        assertThatThrownBy(() -> cancelled.cancelled(START.minus(Duration.ofDays(1)), CUTOFF))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already cancelled");
    }

    @Test
    void aZeroCutoffAllowsCancellingUntilTheStart() {
        assertThat(aBookedAppointment()
                        .cancelled(START.minusSeconds(1), Duration.ZERO)
                        .status())
                .isEqualTo(Appointment.Status.CANCELLED);
    }

    @Test
    void neverPrintsItsMotive() {
        assertThat(aBookedAppointment().toString()).doesNotContain("Consultation");
    }
}
