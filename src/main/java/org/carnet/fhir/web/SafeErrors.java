package org.carnet.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.carnet.shared.TooManyRequestsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves as an OperationOutcome whose text Carnet wrote: HAPI's own messages quote the
 * request (an unknown parameter's name, a malformed id or date), so they are replaced by a fixed text
 * for their status. Only {@link Refusals} and Carnet's own {@code InvalidRequestException} (a field
 * name and a rule) keep theirs.
 */
@Interceptor
final class SafeErrors {

    private static final Logger log = LoggerFactory.getLogger(SafeErrors.class);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException safe(Throwable error) {
        if (error instanceof Refusals.Locked
                || error instanceof Refusals.BadRequest
                || error instanceof Refusals.NotFound
                || error instanceof Refusals.Forbidden
                || error instanceof Refusals.Conflict) {
            return (BaseServerResponseException) error;
        }
        if (causedBy(error, org.carnet.shared.EstablishmentReadOnlyException.class)) {
            // The establishment is read-only for the time of an incident (the access door said so).
            return new Refusals.Locked();
        }
        TooManyRequestsException quota = quota(error);
        if (quota != null) {
            // A program over its quota of distinct patients (access asked the clients module).
            return new Refusals.TooMany(quota.retryAfterSeconds());
        }
        if (error instanceof org.carnet.shared.InvalidRequestException invalid) {
            return Refusals.badRequest("Invalid " + invalid.field() + ": " + invalid.getMessage() + ".");
        }
        if (error instanceof BaseServerResponseException known) {
            return BaseServerResponseException.newInstance(known.getStatusCode(), text(known.getStatusCode()));
        }
        if (error instanceof DataFormatException) {
            // A parameter HAPI could not parse (a date, a number): the client's mistake.
            return BaseServerResponseException.newInstance(400, text(400));
        }
        // The class only: a message or a stack trace could carry what the request sent.
        log.error("FHIR request failed: {}", error.getClass().getName());
        return new InternalErrorException(text(500));
    }

    /** The quota's refusal, thrown as is or wrapped (HAPI wraps what a provider throws). */
    private static @Nullable TooManyRequestsException quota(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TooManyRequestsException quota) {
                return quota;
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static String text(int status) {
        return switch (status) {
            case 400 ->
                "This request is not supported: see /fhir/metadata for the resources, interactions and"
                        + " search parameters this server supports, and their values.";
            case 401 -> "A valid bearer token is required.";
            case 403 -> "Not allowed.";
            case 404 -> "No such resource.";
            case 405 -> "This interaction is not supported: see /fhir/metadata.";
            case 406, 415 -> "This format is not supported: use application/fhir+json or application/fhir+xml.";
            case 410 -> "This resource is gone.";
            case 409 -> "The request conflicts with the current state of the resource.";
            case 412 -> "A precondition failed.";
            case 422 -> "The resource is not valid.";
            case 423 ->
                "The establishment is read-only for the time of a security incident: its data can be read, not"
                        + " changed. Try again once it is lifted.";
            case 429 -> "Too many requests or patients for this program's quota; retry after the time in Retry-After.";
            default -> status >= 500 ? "Internal error." : "The request failed.";
        };
    }
}
