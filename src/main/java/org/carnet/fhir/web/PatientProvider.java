package org.carnet.fhir.web;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.ArrayList;
import java.util.List;
import org.carnet.clients.ClientPseudonyms;
import org.carnet.clients.SmartScope;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.Purpose;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * A patient of the program's establishment, by the pseudonym the program was shown in an Appointment
 * ({@code system/Patient.r}): name, birth date and sex; phone and e-mail only with {@value
 * SmartScope#PATIENT_CONTACT}. Never the NIR, never Carnet's ids.
 */
@Component
class PatientProvider implements IResourceProvider {

    static final List<Field> IDENTITY = List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.SEX);
    static final List<Field> CONTACT = List.of(Field.PHONE, Field.EMAIL);

    private final PatientFiles files;
    private final ClientPseudonyms pseudonyms;

    PatientProvider(PatientFiles files, ClientPseudonyms pseudonyms) {
        this.files = files;
        this.pseudonyms = pseudonyms;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id) {
        Actor.Client client = ProgramCalls.requiring("system/Patient.r");
        List<Field> wanted = new ArrayList<>(IDENTITY);
        if (ProgramCalls.holds(client, SmartScope.PATIENT_CONTACT)) {
            wanted.addAll(CONTACT);
        }
        String pseudonym = id.getIdPart();
        return pseudonyms
                .file(client, pseudonym == null ? "" : pseudonym)
                .flatMap(file -> files.forProgram(client, file, wanted, Purpose.AGENDA))
                .map(file -> ProgramResources.patient(file, pseudonym))
                .orElseThrow(Refusals::notFound);
    }
}
