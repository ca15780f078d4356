package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published when a login signs in, every factor given, from a browser it had not used before, so that
 * its owner is told (a sign-in they did not make is how a stolen password shows). Ids, role, time and
 * the browser's family and system from a closed list ("Firefox, Linux"): stored as plaintext JSON in
 * the event publication registry until delivered.
 */
public record SignedInFromNewDevice(UUID userId, UUID subjectId, Role role, Instant at, String browser) {}
