package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published at every lock of an account by failed sign-ins (or failed current-password checks): a
 * professional account locked, a patient's throttled. Its owner is told in their inbox each time, and
 * the security officers too once the same account has been locked again and again. Stored as plaintext
 * JSON in the event publication registry until delivered: ids, role, numbers and time only.
 *
 * @param userId the login
 * @param subjectId the login's subject: whose inbox gets the notice
 * @param role the login's role
 * @param until when sign-in is possible again
 * @param lockNumber 1 for the first lock since the last complete sign-in, 2 for the next, and so on
 * @param alertOfficers whether the locks are now many enough for the security officers to be told
 */
public record AccountLocked(
        UUID userId, UUID subjectId, Role role, Instant until, int lockNumber, boolean alertOfficers) {}
