package org.carnet.identity;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Published when a passkey is added to a login, so that its owner is told in their inbox (a passkey
 * added by someone else who got into the session would otherwise go unnoticed). Ids, role and time
 * only: stored as plaintext JSON in the event publication registry until delivered.
 *
 * @param userId the login
 * @param subjectId the login's subject: whose inbox gets the notice
 * @param role the login's role
 * @param at when the passkey was added
 */
public record PasskeyAdded(UUID userId, UUID subjectId, Role role, Instant at) {}
