package org.carnet.patients;

import java.util.UUID;

/**
 * A patient account's e-mail address needs confirming: at registration, or when its owner asks for a
 * new code. The notifications module issues the code and sends it to the address. Ids only: the code
 * itself never travels in an event (events are stored until delivered).
 *
 * @param requestId distinguishes each request, so that each gets its own code and message, once
 */
public record AddressConfirmationRequested(UUID patientAccountId, UUID userId, UUID requestId) {}
