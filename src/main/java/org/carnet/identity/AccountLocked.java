package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published when too many failed sign-ins lock (professional) or throttle (patient) an account, so
 * that its owner is told in their inbox. Stored as plaintext JSON in the event publication registry
 * until delivered: ids, role and time only.
 *
 * @param userId the login
 * @param subjectId the login's subject: whose inbox gets the notice
 * @param role the login's role
 * @param until when sign-in is possible again
 */
public record AccountLocked(UUID userId, UUID subjectId, Role role, Instant until) {}
