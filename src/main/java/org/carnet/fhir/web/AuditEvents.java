package org.carnet.fhir.web;

import java.util.Date;
import java.util.function.Function;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.RecordedActor;
import org.carnet.shared.Action;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * An access log entry as an R4 AuditEvent (docs/architecture.md, "FHIR"): the action as C/R/U/D/E,
 * {@code recorded}, {@code outcome} {@code 0} (allowed) or {@code 4} (denied), the purpose, the actor (and
 * the patient it acted for) as agents, the establishment as the source's observer, and the patient with
 * the kind of record and the field names as the entity. Ids only, never a value of the fields.
 */
final class AuditEvents {

    static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String PURPOSE = "https://carnet.example/fhir/CodeSystem/access-purpose";
    static final String ROLE = "https://carnet.example/fhir/CodeSystem/actor-role";
    /** A program's client id, as Carnet's authorization server gives it. */
    static final String CLIENT_ID = "https://carnet.example/fhir/NamingSystem/client-id";
    /** A signed-in person's login id. */
    static final String LOGIN_ID = "https://carnet.example/fhir/NamingSystem/login-id";

    private static final String NETWORK_TYPE = "http://hl7.org/fhir/network-type";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

    private AuditEvents() {}

    /**
     * The entry as an AuditEvent.
     *
     * @param patient the reference of the entry's patient as the reader knows them ({@code Patient/<id>}
     *     for the security officer, {@code Patient/<pseudonym>} for a program); {@code null} hides it
     * @param withAddress whether the reader may see where the access came from (the security officer)
     */
    static AuditEvent of(AuditEntry entry, Function<java.util.UUID, @Nullable String> patient, boolean withAddress) {
        AuditEvent event = new AuditEvent();
        event.setId(Long.toString(entry.id()));
        event.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
        event.setAction(action(entry.action()));
        event.setRecorded(Date.from(entry.occurredAt()));
        event.setOutcome(
                entry.outcome() == AccessEvent.Outcome.ALLOWED
                        ? AuditEvent.AuditEventOutcome._0
                        : AuditEvent.AuditEventOutcome._4);
        event.addPurposeOfEvent().addCoding(new Coding(PURPOSE, entry.purpose(), null));

        AuditEvent.AuditEventAgentComponent actor = event.addAgent().setRequestor(true);
        actor.addRole().addCoding(new Coding(ROLE, entry.actor().role(), null));
        actor.setWho(who(entry.actor()));
        if (withAddress && entry.sourceAddress() != null) {
            actor.getNetwork().setAddress(entry.sourceAddress()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        if (entry.onBehalfOf() != null) {
            String behalf = patient.apply(entry.onBehalfOf());
            if (behalf != null) {
                event.addAgent().setRequestor(false).setWho(new Reference(behalf));
            }
        }

        AuditEvent.AuditEventSourceComponent source = event.getSource().setSite("Carnet");
        source.setObserver(
                entry.establishmentId() == null
                        ? new Reference().setDisplay("Carnet")
                        : new Reference("Organization/" + entry.establishmentId()));

        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        String what = entry.patientId() == null ? null : patient.apply(entry.patientId());
        if (what != null) {
            entity.setWhat(new Reference(what))
                    .setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        entity.addDetail().setType("resource").setValue(new org.hl7.fhir.r4.model.StringType(entry.resource()));
        if (!entry.fields().isEmpty()) {
            entity.addDetail()
                    .setType("fields")
                    .setValue(new org.hl7.fhir.r4.model.StringType(String.join(",", entry.fields())));
        }
        return event;
    }

    private static Reference who(RecordedActor actor) {
        Reference who = new Reference();
        if (actor.id() == null) {
            // The platform itself (a job, a listener) or an anonymous request: named by its role only.
            return who.setDisplay(actor.type() == RecordedActor.Type.SYSTEM ? "Carnet" : "anonymous");
        }
        return who.setIdentifier(new Identifier()
                .setSystem(actor.type() == RecordedActor.Type.CLIENT ? CLIENT_ID : LOGIN_ID)
                .setValue(actor.id().toString()));
    }

    private static AuditEvent.AuditEventAction action(Action action) {
        return switch (action) {
            case CREATE -> AuditEvent.AuditEventAction.C;
            case READ -> AuditEvent.AuditEventAction.R;
            case UPDATE -> AuditEvent.AuditEventAction.U;
            case DELETE -> AuditEvent.AuditEventAction.D;
            case EXECUTE -> AuditEvent.AuditEventAction.E;
        };
    }
}
