package org.carnet.fhir.web;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;

/** The errors Carnet's FHIR providers raise: their texts are fixed, never built from the request. */
final class Refusals {

    private Refusals() {}

    /** 400: the text says which rule, in words written here. */
    static final class BadRequest extends InvalidRequestException {
        BadRequest(String fixedText) {
            super(fixedText);
        }
    }

    /** 404: no such resource, or none that is public. */
    static final class NotFound extends ResourceNotFoundException {
        NotFound() {
            super("No such resource.");
        }
    }

    /**
     * 403: the token's scopes do not cover the interaction. Raised before anything is looked up, so that
     * it says nothing about whether the resource exists.
     */
    static final class Forbidden extends ForbiddenOperationException {
        Forbidden() {
            super("Not allowed: the access token's scopes do not cover this interaction.");
        }
    }

    /** 409: the slot is taken (or the same Idempotency-Key is still being processed). */
    static final class Conflict extends ResourceVersionConflictException {
        Conflict(String fixedText) {
            super(fixedText);
        }
    }

    /** 429: the program is over its quota (issue 13, item 5); Retry-After says for how long. */
    /** The establishment is read-only (an incident's containment): 423 Locked. */
    static final class Locked extends ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException {
        Locked() {
            super(423, SafeErrors.text(423));
        }
    }

    static final class TooMany extends ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException {
        TooMany(long retryAfterSeconds) {
            super(429, SafeErrors.text(429));
            addResponseHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    static Forbidden forbidden() {
        return new Forbidden();
    }

    static Conflict conflict(String fixedText) {
        return new Conflict(fixedText);
    }

    static BadRequest badRequest(String fixedText) {
        return new BadRequest(fixedText);
    }

    static NotFound notFound() {
        return new NotFound();
    }
}
