package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.clients.ClientPseudonyms;
import org.carnet.clients.SmartScope;
import org.carnet.clients.UnknownIds;
import org.carnet.patients.FileLookups;
import org.carnet.patients.Nir;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.Purpose;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient of the program's establishment: by the pseudonym the program was shown ({@code
 * system/Patient.r}), or found by an exact identity ({@code system/Patient.rs}, by POST only: the NIR, or
 * last name and birth date). Name, birth date and sex; phone and e-mail only with {@value
 * SmartScope#PATIENT_CONTACT}. Never the NIR, never Carnet's ids.
 */
@Component
class PatientProvider implements IResourceProvider {

    static final List<Field> IDENTITY = List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.SEX);
    static final List<Field> CONTACT = List.of(Field.PHONE, Field.EMAIL);

    /** The INS-NIR, as in France's FHIR profiles (FR Core Patient's {@code INS-NIR} slice). */
    static final String INS_NIR = "urn:oid:1.2.250.1.213.1.4.8";

    private final PatientFiles files;
    private final FileLookups lookups;
    private final ClientPseudonyms pseudonyms;
    private final TransactionTemplate transactions;
    private final UnknownIds unknown;

    PatientProvider(
            PatientFiles files,
            FileLookups lookups,
            ClientPseudonyms pseudonyms,
            TransactionTemplate transactions,
            UnknownIds unknown) {
        this.files = files;
        this.lookups = lookups;
        this.pseudonyms = pseudonyms;
        this.transactions = transactions;
        this.unknown = unknown;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id) {
        Actor.Client client = ProgramCalls.requiring("system/Patient.r");
        String pseudonym = id.getIdPart() == null ? "" : id.getIdPart();
        return pseudonyms
                .file(client, pseudonym)
                .flatMap(file -> files.forProgram(client, file, wanted(client), Purpose.AGENDA))
                .map(file -> ProgramResources.patient(file, pseudonym))
                .orElseThrow(() -> {
                    // The same 404 for a pseudonym never served and a file the decision withholds; both count.
                    unknown.missed(client, "Patient", pseudonym);
                    return Refusals.notFound();
                });
    }

    /**
     * The establishment's patients with this NIR ({@code identifier}), or this last name and birth date
     * (both): exact matches by blind index, each opened through the access decision as a read, served
     * under the program's pseudonym (remembered, so that it can read or book for them afterwards).
     */
    @Search
    public IBundleProvider search(
            @OptionalParam(name = Patient.SP_IDENTIFIER)
                    @Description(shortDefinition = "The NIR (INS-NIR, system " + INS_NIR + "), 15 characters; alone")
                    @Nullable
                    TokenParam identifier,
            @OptionalParam(name = Patient.SP_FAMILY)
                    @Description(
                            shortDefinition = "The whole last name (case, accents, hyphens ignored), with birthdate")
                    @Nullable
                    StringParam family,
            @OptionalParam(name = Patient.SP_BIRTHDATE)
                    @Description(shortDefinition = "The birth date, yyyy-MM-dd (eq), with family")
                    @Nullable
                    DateParam birthdate,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count,
            RequestDetails request) {
        // A search shows what a read shows: it needs both, checked before anything is parsed or looked up.
        Actor.Client client = ProgramCalls.requiring("system/Patient.s");
        ProgramCalls.requiring("system/Patient.r");
        if (request.getRequestType() != RequestTypeEnum.POST) {
            // Too late for this URL (it has travelled), but never served: the answer teaches the right way.
            throw Refusals.badRequest("Search Patients with POST /fhir/Patient/_search and the parameters in a"
                    + " form body: a NIR, a name or a birth date never goes into a URL.");
        }
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        UUID establishment = client.establishment().value();
        List<UUID> found;
        if (identifier != null && family == null && birthdate == null) {
            String nir = SearchParams.code(identifier, "identifier", INS_NIR).orElse(null);
            if (nir == null) {
                return SearchParams.bundle(List.of(), page, 0);
            }
            found = lookups.byNir(establishment, nir(nir));
        } else if (identifier == null && family != null && birthdate != null) {
            found = lookups.byLastNameAndBirthDate(establishment, SearchParams.text(family, "family"), day(birthdate));
        } else {
            throw Refusals.badRequest("Search Patients by identifier alone, or by family and birthdate together.");
        }
        List<UUID> shown = page.of(found);
        List<Patient> patients =
                Objects.requireNonNull(transactions.execute(status -> open(client, shown)), "the transaction's result");
        return SearchParams.bundle(patients, page, found.size());
    }

    /**
     * Each file opened through the access decision in one transaction: a patient over the program's quota
     * refuses the whole page (429), and nothing of it is served or recorded.
     */
    private List<Patient> open(Actor.Client client, List<UUID> fileIds) {
        List<Field> wanted = wanted(client);
        Map<UUID, PatientFiles.FileView> opened = new LinkedHashMap<>();
        for (UUID file : fileIds) {
            files.forProgram(client, file, wanted, Purpose.AGENDA).ifPresent(view -> opened.put(file, view));
        }
        Map<UUID, String> pseudonymous = pseudonyms.serve(client, opened.keySet());
        List<Patient> patients = new ArrayList<>();
        opened.forEach((file, view) ->
                patients.add(ProgramResources.patient(view, Objects.requireNonNull(pseudonymous.get(file), "served"))));
        return patients;
    }

    private static List<Field> wanted(Actor.Client client) {
        List<Field> wanted = new ArrayList<>(IDENTITY);
        if (ProgramCalls.holds(client, SmartScope.PATIENT_CONTACT)) {
            wanted.addAll(CONTACT);
        }
        return wanted;
    }

    private static Nir nir(String value) {
        try {
            return Nir.parse(value);
        } catch (InvalidRequestException e) {
            throw Refusals.badRequest(
                    "identifier must be a NIR: 13 characters (2A or 2B for Corsica) and a 2-digit key.");
        }
    }

    private static LocalDate day(DateParam birthdate) {
        if (birthdate.getMissing() != null
                || (birthdate.getPrefix() != null && birthdate.getPrefix() != ParamPrefixEnum.EQUAL)
                || birthdate.getPrecision() != TemporalPrecisionEnum.DAY) {
            throw Refusals.badRequest("birthdate must be one day, yyyy-MM-dd, without a prefix.");
        }
        try {
            return LocalDate.parse(birthdate.getValueAsString());
        } catch (DateTimeParseException e) {
            throw Refusals.badRequest("birthdate must be one day, yyyy-MM-dd, without a prefix.");
        }
    }
}
