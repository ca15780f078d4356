package org.carnet.fhir.web;

import java.util.Date;
import java.util.Locale;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;

/**
 * The directory's and scheduling's public records as FHIR R4 resources. Ids are Carnet's own UUIDs:
 * an establishment is an Organization and a Location of the same id; a practitioner is a Practitioner,
 * a PractitionerRole and (with an agenda) a Schedule of the same id.
 */
final class FhirResources {

    /** FINESS, as in France's FHIR profiles (FR Core Organization's {@code finess} slice). */
    static final String FINESS = "http://finess.sante.gouv.fr";

    /** RPPS, as in FR Core Practitioner's {@code rpps} slice. */
    static final String RPPS = "http://rpps.fr";

    /** The national health professional id (IDNPS): {@code 8} followed by the RPPS number. */
    static final String IDNPS = "urn:oid:1.2.250.1.71.4.2.1";

    /** Carnet's specialty codes: those of {@code /api/v1/specialties}. */
    static final String SPECIALTY = "https://carnet.example/fhir/CodeSystem/specialty";

    private FhirResources() {}

    static Organization organization(Establishment establishment) {
        Organization organization = new Organization();
        organization.setId(establishment.id().toString());
        organization.addIdentifier(finess(establishment));
        organization.setActive(true);
        organization.setName(establishment.name());
        organization.addAddress(address(establishment));
        return organization;
    }

    static Location location(Establishment establishment) {
        Location location = new Location();
        location.setId(establishment.id().toString());
        location.addIdentifier(finess(establishment));
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setMode(Location.LocationMode.INSTANCE);
        location.setName(establishment.name());
        location.setAddress(address(establishment));
        location.setManagingOrganization(organizationReference(establishment));
        return location;
    }

    static org.hl7.fhir.r4.model.Practitioner practitioner(Practitioner practitioner) {
        org.hl7.fhir.r4.model.Practitioner resource = new org.hl7.fhir.r4.model.Practitioner();
        resource.setId(practitioner.id().toString());
        resource.addIdentifier()
                .setUse(Identifier.IdentifierUse.OFFICIAL)
                .setSystem(RPPS)
                .setValue(practitioner.rpps().value());
        resource.addIdentifier()
                .setUse(Identifier.IdentifierUse.OFFICIAL)
                .setSystem(IDNPS)
                .setValue("8" + practitioner.rpps().value());
        resource.setActive(true);
        resource.addName(new HumanName()
                .setUse(HumanName.NameUse.OFFICIAL)
                .setFamily(practitioner.lastName())
                .addGiven(practitioner.firstName()));
        return resource;
    }

    static PractitionerRole practitionerRole(Practitioner practitioner, Establishment establishment) {
        PractitionerRole role = new PractitionerRole();
        role.setId(practitioner.id().toString());
        role.setActive(true);
        role.setPractitioner(practitionerReference(practitioner));
        role.setOrganization(organizationReference(establishment));
        role.addLocation(locationReference(establishment));
        role.addSpecialty(specialty(practitioner.specialty()));
        return role;
    }

    static Schedule schedule(Practitioner practitioner, Establishment establishment) {
        Schedule schedule = new Schedule();
        schedule.setId(practitioner.id().toString());
        schedule.setActive(true);
        schedule.addActor(practitionerReference(practitioner));
        schedule.addActor(new Reference("PractitionerRole/" + practitioner.id()));
        schedule.addActor(locationReference(establishment));
        schedule.addSpecialty(specialty(practitioner.specialty()));
        return schedule;
    }

    /** A free slot: the only kind FHIR shows without a token. */
    static Slot freeSlot(org.carnet.scheduling.Slot slot, Specialty specialty) {
        Slot resource = new Slot();
        resource.setId(slot.id().toString());
        resource.setSchedule(new Reference("Schedule/" + slot.practitionerId()));
        resource.setStatus(Slot.SlotStatus.FREE);
        resource.setStart(Date.from(slot.start()));
        resource.setEnd(Date.from(slot.end()));
        resource.addSpecialty(specialty(specialty));
        return resource;
    }

    static CodeableConcept specialty(Specialty specialty) {
        String label = specialty.label(Locale.FRENCH);
        CodeableConcept concept = new CodeableConcept().setText(label);
        concept.addCoding().setSystem(SPECIALTY).setCode(specialty.code()).setDisplay(label);
        return concept;
    }

    private static Identifier finess(Establishment establishment) {
        return new Identifier()
                .setUse(Identifier.IdentifierUse.OFFICIAL)
                .setSystem(FINESS)
                .setValue(establishment.finess().value());
    }

    private static Address address(Establishment establishment) {
        return new Address()
                .setUse(Address.AddressUse.WORK)
                .setType(Address.AddressType.PHYSICAL)
                .addLine(establishment.address())
                .setCity(establishment.city())
                .setPostalCode(establishment.postcode())
                .setCountry("FR");
    }

    private static Reference organizationReference(Establishment establishment) {
        return new Reference("Organization/" + establishment.id()).setDisplay(establishment.name());
    }

    private static Reference locationReference(Establishment establishment) {
        return new Reference("Location/" + establishment.id()).setDisplay(establishment.name());
    }

    private static Reference practitionerReference(Practitioner practitioner) {
        return new Reference("Practitioner/" + practitioner.id()).setDisplay(practitioner.displayName());
    }
}
