package org.carnet.patients;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Role;

/**
 * Someone registered with an address that already has a login. They were answered as for a new
 * account; the owner of the address is told (ids only: nothing of what was typed).
 *
 * @param userId the existing login
 * @param subjectId the patient account or professional that login is
 */
public record RegistrationAttempted(UUID userId, Role role, UUID subjectId, Instant at) {}
