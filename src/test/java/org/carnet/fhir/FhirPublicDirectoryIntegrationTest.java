package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Agendas;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Schedule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The public directory through FHIR, read with HAPI's generic client as an integrator would, without a
 * token; every resource returned passes HAPI's R4 validator.
 */
@CarnetIntegrationTest
class FhirPublicDirectoryIntegrationTest {

    static final String FINESS = "http://finess.sante.gouv.fr";
    static final String RPPS = "http://rpps.fr";
    static final String IDNPS = "urn:oid:1.2.250.1.71.4.2.1";
    static final String SPECIALTY = "https://carnet.example/fhir/CodeSystem/specialty";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    Fixtures fixtures;
    IGenericClient fhir;

    @BeforeEach
    void setUp() {
        fixtures = new Fixtures(directory, agendas);
        fhir = FhirValidation.R4.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
    }

    @Test
    void readsAnEstablishmentAndAPractitionerAsValidR4Resources() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.CARDIOLOGUE, "Fhirville", "97100");
        String establishment = agenda.establishment().id().toString();
        String practitioner = agenda.practitioner().id().toString();

        Organization organization = valid(
                fhir.read().resource(Organization.class).withId(establishment).execute());
        assertThat(organization.getName()).isEqualTo(agenda.establishment().name());
        assertThat(identifier(organization.getIdentifier(), FINESS))
                .isEqualTo(agenda.establishment().finess().value());
        assertThat(organization.getAddressFirstRep().getPostalCode()).isEqualTo("97100");

        Location location =
                valid(fhir.read().resource(Location.class).withId(establishment).execute());
        assertThat(location.getManagingOrganization().getReference()).isEqualTo("Organization/" + establishment);
        assertThat(location.getAddress().getCity()).isEqualTo("Fhirville");

        Practitioner person = valid(
                fhir.read().resource(Practitioner.class).withId(practitioner).execute());
        assertThat(identifier(person.getIdentifier(), RPPS))
                .isEqualTo(agenda.practitioner().rpps().value());
        assertThat(identifier(person.getIdentifier(), IDNPS))
                .isEqualTo("8" + agenda.practitioner().rpps().value());
        assertThat(person.getNameFirstRep().getFamily())
                .isEqualTo(agenda.practitioner().lastName());

        PractitionerRole role = valid(fhir.read()
                .resource(PractitionerRole.class)
                .withId(practitioner)
                .execute());
        assertThat(role.getPractitioner().getReference()).isEqualTo("Practitioner/" + practitioner);
        assertThat(role.getOrganization().getReference()).isEqualTo("Organization/" + establishment);
        assertThat(role.getLocationFirstRep().getReference()).isEqualTo("Location/" + establishment);
        assertThat(role.getSpecialtyFirstRep().getCodingFirstRep().getSystem()).isEqualTo(SPECIALTY);
        assertThat(role.getSpecialtyFirstRep().getCodingFirstRep().getCode()).isEqualTo("cardiologue");

        Schedule schedule =
                valid(fhir.read().resource(Schedule.class).withId(practitioner).execute());
        assertThat(schedule.getActor())
                .extracting(reference -> reference.getReference())
                .contains("Practitioner/" + practitioner, "Location/" + establishment);
    }

    @Test
    void findsEstablishmentsByFinessAndPractitionersByRppsOrNationalId() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.CARDIOLOGUE, "Fhirville", "97100");
        String finess = agenda.establishment().finess().value();
        String rpps = agenda.practitioner().rpps().value();

        assertThat(ids(search(
                        Organization.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(FINESS, finess))))
                .containsExactly(agenda.establishment().id().toString());
        assertThat(ids(search(
                        Organization.class,
                        new TokenClientParam("identifier").exactly().code(finess))))
                .containsExactly(agenda.establishment().id().toString());
        assertThat(ids(search(
                        Location.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(FINESS, finess))))
                .containsExactly(agenda.establishment().id().toString());
        assertThat(ids(search(
                        Practitioner.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(RPPS, rpps))))
                .containsExactly(agenda.practitioner().id().toString());
        assertThat(ids(search(
                        Practitioner.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(IDNPS, "8" + rpps))))
                .containsExactly(agenda.practitioner().id().toString());
        // Another system's number is not a FINESS or RPPS number: found nowhere.
        assertThat(ids(search(
                        Organization.class,
                        new TokenClientParam("identifier").exactly().systemAndCode("urn:other", finess))))
                .isEmpty();
        // A number of the right shape that nobody has.
        assertThat(ids(search(
                        Practitioner.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(RPPS, "00000000000"))))
                .isEmpty();
        assertThatThrownBy(() -> search(
                        Practitioner.class,
                        new TokenClientParam("identifier").exactly().systemAndCode(RPPS, "12345")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void findsRolesBySpecialtyAndPlaceByPractitionerAndByOrganization() {
        String city = "Rôleville-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Agenda first = fixtures.aPractitionerWithSlots(Specialty.NEUROLOGUE, city, "97200");
        Fixtures.Agenda second = fixtures.aPractitionerWithSlots(Specialty.NEUROLOGUE, city, "97200");
        fixtures.aPractitionerWithSlots(Specialty.UROLOGUE, city, "97200");

        Bundle byCity = fhir.search()
                .forResource(PractitionerRole.class)
                .where(new TokenClientParam("specialty").exactly().systemAndCode(SPECIALTY, "neurologue"))
                .and(new StringClientParam("address-city").matches().value(city.toUpperCase(java.util.Locale.ROOT)))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(ids(valid(byCity)))
                .containsExactlyInAnyOrder(
                        first.practitioner().id().toString(),
                        second.practitioner().id().toString());
        assertThat(byCity.getTotal()).isEqualTo(2);

        Bundle byPractitioner = search(
                PractitionerRole.class,
                new ReferenceClientParam("practitioner")
                        .hasId("Practitioner/" + first.practitioner().id()));
        assertThat(ids(byPractitioner))
                .containsExactly(first.practitioner().id().toString());

        Bundle byOrganization = search(
                PractitionerRole.class,
                new ReferenceClientParam("organization")
                        .hasId("Organization/" + second.establishment().id()));
        assertThat(ids(byOrganization))
                .containsExactly(second.practitioner().id().toString());

        Bundle schedules = search(
                Schedule.class,
                new ReferenceClientParam("actor")
                        .hasId("Practitioner/" + first.practitioner().id()));
        assertThat(ids(schedules)).containsExactly(first.practitioner().id().toString());
    }

    @Test
    void answersUnknownIdsWith404() {
        for (Class<? extends IBaseResource> type : List.of(
                Organization.class,
                Location.class,
                Practitioner.class,
                PractitionerRole.class,
                Schedule.class,
                org.hl7.fhir.r4.model.Slot.class)) {
            assertThatThrownBy(() -> fhir.read()
                            .resource(type)
                            .withId(UUID.randomUUID().toString())
                            .execute())
                    .as(type.getSimpleName())
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> fhir.read().resource(type).withId("42").execute())
                    .as(type.getSimpleName())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    private Bundle search(Class<? extends IBaseResource> type, ca.uhn.fhir.rest.gclient.ICriterion<?> criterion) {
        return valid(fhir.search()
                .forResource(type)
                .where(criterion)
                .returnBundle(Bundle.class)
                .execute());
    }

    static <T extends IBaseResource> T valid(T resource) {
        assertThat(FhirValidation.errors(resource))
                .as("R4 validation of a %s", resource.fhirType())
                .isEmpty();
        return resource;
    }

    static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(entry -> entry.getResource().getIdElement().getIdPart())
                .toList();
    }

    private static String identifier(List<Identifier> identifiers, String system) {
        return identifiers.stream()
                .filter(identifier -> system.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElse(null);
    }
}
