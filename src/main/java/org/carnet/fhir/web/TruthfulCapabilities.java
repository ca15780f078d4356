package org.carnet.fhir.web;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * The CapabilityStatement HAPI builds from the providers, less what is not served: HAPI lists
 * OperationDefinition for the operations a server defines, and Carnet defines none (and lets nobody
 * read it without a token).
 */
@Interceptor
final class TruthfulCapabilities {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void trim(IBaseConformance generated) {
        if (generated instanceof CapabilityStatement statement) {
            statement.setPublisher("Carnet");
            statement.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
            for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
                rest.getResource().removeIf(resource -> "OperationDefinition".equals(resource.getType()));
                rest.getSecurity()
                        .setDescription("Organization, Location, Practitioner, PractitionerRole, Schedule and Slot"
                                + " are public (what the web search shows) and need no token. Appointment and Patient"
                                + " need a bearer token of Carnet's authorization server (SMART Backend Services) whose"
                                + " scopes cover the interaction (system/Appointment.r, .s, .c, .u; system/Patient.r,"
                                + " and .r with .s to search; the same user/ scopes for a program acting for a signed-in"
                                + " professional, authorization code with PKCE, then never beyond that person's own"
                                + " rights), else 403; a program sees only its own establishment, patients only as its own"
                                + " pseudonyms, contact details only with carnet/Patient.contact and the visit motive"
                                + " only with carnet/Appointment.motive. AuditEvent is the access log: a program with"
                                + " system/AuditEvent.r or .s reads the entries of what it did itself; the platform's"
                                + " security officer, with their API bearer token, reads every entry. Any other request"
                                + " without a token is refused with 401.");
                rest.getSecurity()
                        .addService()
                        .addCoding()
                        .setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                        .setCode("SMART-on-FHIR");
            }
        }
    }
}
