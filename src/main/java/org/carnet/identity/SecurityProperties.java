package org.carnet.identity;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in hardening.
 *
 * @param maxFailedAttempts failed sign-ins (password or second factor) before an account is locked or throttled
 * @param professionalLockout how long a professional account's first lock lasts; each further lock lasts twice as long
 * @param patientBaseDelay the first delay a throttled patient account waits; it doubles with each further failure
 * @param longestLockout the longest a lock (professional or patient) lasts, however many came before
 * @param locksBeforeAlert from this lock of one account on, the security officers are told of each in their inbox
 * @param signInsPerMinute sign-in attempts (and current-password checks) allowed per source address and minute,
 *     over every account; IPv6 addresses count per /64 network, and the count is shared by every node
 * @param sessionAbsoluteTimeout a page session ends this long after sign-in, however active
 * @param hashingConcurrency password hashes computed at once (each takes 19 MiB); others wait
 * @param hashingWait how long a password check waits for a hashing permit before it is refused (503, Retry-After)
 * @param passkeyRpId the WebAuthn relying party id: the site's domain name
 * @param passkeyOrigins the addresses pages are served from, as browsers report them to passkeys
 */
@Validated
@ConfigurationProperties("carnet.security")
record SecurityProperties(
        @Min(3) @Max(100) int maxFailedAttempts,
        @NotNull Duration professionalLockout,
        @NotNull Duration patientBaseDelay,
        @NotNull Duration longestLockout,
        @Min(1) @Max(1000) int locksBeforeAlert,
        @Min(1) @Max(100_000) int signInsPerMinute,
        @NotNull Duration sessionAbsoluteTimeout,
        @Min(1) @Max(64) int hashingConcurrency,
        @NotNull Duration hashingWait,
        @NotBlank String passkeyRpId,
        @NotEmpty Set<String> passkeyOrigins) {}
