package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.accesslog.AuditReadings;
import org.carnet.audit.AuditEntry;
import org.carnet.clients.ClientPseudonyms;
import org.carnet.clients.ClientScopes;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.BookingProperties;
import org.carnet.shared.Actor;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The access log as FHIR AuditEvents (issue 13): for the platform's security officer (their API bearer
 * token), every entry, patients by Carnet id and the source address included; for a program holding
 * {@code system/AuditEvent.r} (read) or {@code .s} (search), only the entries of what it did itself,
 * patients under its own pseudonyms, no address. Every reading is recorded by the access decision.
 */
@Component
class AuditEventProvider implements IResourceProvider {

    private static final Pattern ENTRY_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final AuditReadings readings;
    private final ClientPseudonyms pseudonyms;
    private final PatientFiles files;
    private final BookingProperties properties;

    AuditEventProvider(
            AuditReadings readings, ClientPseudonyms pseudonyms, PatientFiles files, BookingProperties properties) {
        this.readings = readings;
        this.pseudonyms = pseudonyms;
        this.files = files;
        this.properties = properties;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        Actor reader = reader("r");
        String part = id.getIdPart();
        if (part == null || !ENTRY_ID.matcher(part).matches()) {
            throw Refusals.notFound();
        }
        return readings.read(reader, Long.parseLong(part))
                .map(entry -> resource(reader, entry))
                .orElseThrow(Refusals::notFound);
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(
                            name = AuditEvent.SP_AGENT,
                            chainWhitelist = {""})
                    @Description(
                            shortDefinition = "Who acted: a program's client id or a person's login id (the"
                                    + " identifier of agent.who)")
                    @Nullable
                    ReferenceParam agent,
            @OptionalParam(
                            name = AuditEvent.SP_PATIENT,
                            chainWhitelist = {""})
                    @Description(
                            shortDefinition = "Whose data: Patient/<pseudonym> for a program, Patient/<id> (as the"
                                    + " log names the patient) for the security officer")
                    @Nullable
                    ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_DATE)
                    @Description(
                            shortDefinition = "When: ge, gt, lt, le or eq; a date is a day in Europe/Paris, a"
                                    + " date-time needs its offset")
                    @Nullable
                    DateRangeParam date,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        Actor reader = reader("s");
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        SearchParams.Window window = SearchParams.Window.of(date, "date", properties.zone());
        UUID agentId = null;
        if (agent != null) {
            agentId = SearchParams.reference(agent, "agent", "Device", "Practitioner", "Patient", "RelatedPerson")
                    .orElse(null);
            if (agentId == null) {
                return SearchParams.bundle(List.of(), page, 0);
            }
        }
        PatientRef patientRef = null;
        if (patient != null) {
            patientRef = patient(reader, patient).orElse(null);
            if (patientRef == null) {
                return SearchParams.bundle(List.of(), page, 0);
            }
        }
        if (window.from() != null && window.to() != null && !window.to().isAfter(window.from())) {
            return SearchParams.bundle(List.of(), page, 0);
        }
        AuditReadings.Page found = readings.search(
                reader,
                new AuditReadings.Criteria(agentId, patientRef, window.from(), window.to()),
                page.offset(),
                page.count());
        return SearchParams.bundle(
                found.entries().stream().map(entry -> resource(reader, entry)).toList(), page, found.total());
    }

    /**
     * The security officer (a signed-in person's API token), or a program whose scopes cover the
     * interaction; anyone else 403, before anything is looked up.
     */
    private static Actor reader(String permission) {
        if (ClientScopes.current().isPresent()) {
            return ProgramCalls.requiring("system/AuditEvent." + permission);
        }
        return SignedIn.current()
                .filter(person -> person.role() == Role.SECURITY_OFFICER)
                .orElseThrow(Refusals::forbidden);
    }

    /** The patient a search names: a program's pseudonym (one it was shown), or the officer's Carnet id. */
    private Optional<PatientRef> patient(Actor reader, ReferenceParam patient) {
        if (patient.getMissing() != null
                || (patient.getChain() != null && !patient.getChain().isEmpty())) {
            throw Refusals.badRequest("patient takes no modifier and no chain.");
        }
        String type = patient.getResourceType();
        if (type != null && !type.isEmpty() && !type.equals("Patient")) {
            throw Refusals.badRequest("patient must reference a Patient.");
        }
        String id = patient.getIdPart();
        if (reader instanceof Actor.Client client) {
            UUID establishment = client.establishment().value();
            return pseudonyms.file(client, id == null ? "" : id).flatMap(file -> files.patientOf(establishment, file));
        }
        return SearchParams.uuid(id).map(PatientRef::account);
    }

    private AuditEvent resource(Actor reader, AuditEntry entry) {
        if (reader instanceof Actor.Client client) {
            UUID establishment = client.establishment().value();
            return AuditEvents.of(
                    entry,
                    logged -> files.fileNamed(establishment, logged)
                            .map(file -> "Patient/" + pseudonyms.of(client, file))
                            .orElse(null),
                    false);
        }
        return AuditEvents.of(entry, logged -> "Patient/" + logged, true);
    }
}
