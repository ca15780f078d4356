package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.UUID;

/**
 * Something new in a teleconsultation's written exchange, for the other side to be told: ids, a kind and a
 * time only, never a word of it (it is ciphertext to the server anyway).
 *
 * @param item {@code message} or {@code document}
 * @param itemId the message's or document's id
 * @param recipientKind who is told: {@link SubjectKind#PATIENT} (its id a patient account) or {@link
 *     SubjectKind#PRACTITIONER} (the appointment's practitioner)
 */
public record ExchangePosted(
        UUID appointmentId, String item, UUID itemId, SubjectKind recipientKind, UUID recipientId, Instant at) {}
