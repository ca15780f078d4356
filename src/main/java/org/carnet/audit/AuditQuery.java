package org.carnet.audit;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A search of the whole access log, as the FHIR {@code AuditEvent} search asks it; {@code null} means
 * any. Unlike {@link AuditSearch} (an administrator's, always within their establishment) it may span
 * establishments: only the security officer asks it so.
 *
 * @param establishmentId the entries recorded within this establishment
 * @param actorType with {@code actorId}: entries of one kind of actor only (a program's id is not a login's)
 * @param actorId who acted: a login's id, or a program's client id
 * @param patientId whose data, as the log names the patient (their account's id, or a file's)
 * @param from inclusive
 * @param to exclusive
 */
public record AuditQuery(
        @Nullable UUID establishmentId,
        RecordedActor.@Nullable Type actorType,
        @Nullable UUID actorId,
        @Nullable UUID patientId,
        @Nullable Instant from,
        @Nullable Instant to) {}
