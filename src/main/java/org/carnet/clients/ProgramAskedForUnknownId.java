package org.carnet.clients;

import java.time.Instant;
import java.util.UUID;

/**
 * A program asked for a patient or an appointment by an id (or a pseudonym) that names nothing it may
 * see: Carnet answered 404 (or, booking for an unknown pseudonym, 400). Not an access, so not in the
 * access log; breach detection counts these per program (docs/breach-response.md, {@code
 * unknown-ids-probed}). Carries ids and a keyed hash of what was asked for, never the value itself: a
 * prober may send anything as an id, a NIR or a name included.
 *
 * @param resource the FHIR resource type asked for: {@code Patient} or {@code Appointment}
 * @param probe the platform's keyed hash of the resource type and the id asked for, 16 hex digits: equal
 *     for the same id, meaningless without the blind-index key
 */
public record ProgramAskedForUnknownId(
        UUID clientId, UUID establishmentId, String resource, String probe, Instant at) {}
