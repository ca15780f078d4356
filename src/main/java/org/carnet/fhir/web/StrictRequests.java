package org.carnet.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Map;
import java.util.Set;

/**
 * HAPI refuses an unknown search parameter, but quietly ignores the general ones a method does not
 * handle ({@code _sort}, {@code _include}, {@code _total}…) and a modifier it does not know ({@code
 * specialty:anything}): a client would believe its results sorted, complete or filtered. Carnet
 * declares no modifier and no chain, and honours only the result parameters below.
 */
@Interceptor
final class StrictRequests {

    /** Paging, and how the answer is written (format, indentation, summary, elements). */
    static final Set<String> RESULT_PARAMETERS =
            Set.of("_count", "_offset", "_format", "_pretty", "_summary", "_elements");

    /** The values HAPI honours; it would quietly ignore any other. */
    static final Map<String, Set<String>> RESULT_VALUES = Map.of(
            "_format",
            Set.of(
                    "json",
                    "xml",
                    "application/json",
                    "application/xml",
                    "application/fhir+json",
                    "application/fhir+xml"),
            "_pretty",
            Set.of("true", "false"),
            "_summary",
            Set.of("true", "false", "count", "data", "text"));

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseUnhandledParameters(ServletRequestDetails request) {
        // The servlet's own view: HAPI takes _format and _pretty out of RequestDetails' parameters.
        Map<String, String[]> parameters = request.getServletRequest().getParameterMap();
        for (String name : parameters.keySet()) {
            if (name.contains(":") || name.contains(".")) {
                throw Refusals.badRequest("This server supports no search modifier and no chained parameter.");
            }
            if (name.startsWith("_") && !RESULT_PARAMETERS.contains(name)) {
                throw Refusals.badRequest("This server supports, besides the search parameters of /fhir/metadata,"
                        + " only "
                        + String.join(", ", RESULT_PARAMETERS.stream().sorted().toList()) + ".");
            }
            Set<String> values = RESULT_VALUES.get(name);
            String[] given = parameters.get(name);
            if (values != null && (given.length != 1 || !values.contains(given[0]))) {
                throw Refusals.badRequest("_format takes json or xml, _pretty true or false, _summary true, false,"
                        + " count, data or text.");
            }
        }
    }
}
