package org.carnet.fhir.web;

import java.util.Date;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.ProgramAppointment;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * Appointments and patients as a third-party program sees them: only what the access decision granted
 * is set, and the patient is always the program's own pseudonym, never a Carnet id.
 */
final class ProgramResources {

    /** Carnet's visit motives: a practitioner's motive ids, as {@code serviceType} when booking. */
    static final String VISIT_MOTIVE = "https://carnet.example/fhir/CodeSystem/visit-motive";

    private ProgramResources() {}

    /**
     * Times, duration, status, the practitioner and the slot, the patient's pseudonym, and the motive
     * (as {@code serviceType.text}) only when it was granted.
     */
    static Appointment appointment(ProgramAppointment appointment, String patientPseudonym) {
        Appointment resource = new Appointment();
        resource.setId(appointment.id().toString());
        resource.setStatus(
                appointment.status() == org.carnet.scheduling.Appointment.Status.CANCELLED
                        ? Appointment.AppointmentStatus.CANCELLED
                        : Appointment.AppointmentStatus.BOOKED);
        resource.setStart(Date.from(appointment.start()));
        resource.setEnd(Date.from(appointment.end()));
        resource.setMinutesDuration((int) java.time.Duration.between(appointment.start(), appointment.end())
                .toMinutes());
        resource.addSlot(new Reference("Slot/" + appointment.slotId()));
        resource.addParticipant()
                .setActor(new Reference("Practitioner/" + appointment.practitionerId()))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        resource.addParticipant()
                .setActor(new Reference("Patient/" + patientPseudonym))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        if (appointment.motive() != null) {
            resource.addServiceType().setText(appointment.motive());
        }
        return resource;
    }

    /** The granted fields of a patient's file, under the program's pseudonym. */
    static Patient patient(PatientFiles.FileView file, String pseudonym) {
        Patient patient = new Patient();
        patient.setId(pseudonym);
        if (file.lastName() != null || file.firstName() != null) {
            HumanName name = patient.addName().setUse(HumanName.NameUse.OFFICIAL);
            if (file.lastName() != null) {
                name.setFamily(file.lastName());
            }
            if (file.firstName() != null) {
                name.addGiven(file.firstName());
            }
        }
        if (file.birthDate() != null) {
            patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(file.birthDate()));
        }
        if (file.sex() != null) {
            patient.setGender(gender(file.sex()));
        }
        telecom(patient, ContactPoint.ContactPointSystem.PHONE, file.phone());
        telecom(patient, ContactPoint.ContactPointSystem.EMAIL, file.email());
        return patient;
    }

    private static void telecom(Patient patient, ContactPoint.ContactPointSystem system, @Nullable String value) {
        if (value != null && !value.isBlank()) {
            patient.addTelecom().setSystem(system).setValue(value);
        }
    }

    private static Enumerations.AdministrativeGender gender(String sex) {
        return switch (sex) {
            case "F" -> Enumerations.AdministrativeGender.FEMALE;
            case "M" -> Enumerations.AdministrativeGender.MALE;
            default -> Enumerations.AdministrativeGender.OTHER;
        };
    }
}
