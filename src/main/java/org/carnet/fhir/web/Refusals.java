package org.carnet.fhir.web;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

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

    static BadRequest badRequest(String fixedText) {
        return new BadRequest(fixedText);
    }

    static NotFound notFound() {
        return new NotFound();
    }
}
