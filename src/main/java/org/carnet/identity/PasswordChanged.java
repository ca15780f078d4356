package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published when a login's password is changed, so that its owner is told (a change made by someone
 * else who got into the session must not go unnoticed). Ids, role and time only: stored as plaintext
 * JSON in the event publication registry until delivered.
 */
public record PasswordChanged(UUID userId, UUID subjectId, Role role, Instant at) {}
