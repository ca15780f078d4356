package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.DataCategory;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    static final EstablishmentId ESTABLISHMENT = EstablishmentId.of(UUID.randomUUID());
    static final EstablishmentId OTHER_ESTABLISHMENT = EstablishmentId.of(UUID.randomUUID());
    static final UUID PATIENT = UUID.randomUUID();
    static final AccessRules.Relation NONE = new AccessRules.Relation(false, false);
    static final AccessRules.Relation CARE = new AccessRules.Relation(true, true);
    static final AccessRules.Relation FILE_ONLY = new AccessRules.Relation(false, true);

    static AccessRequest asking(
            Role role, EstablishmentId establishmentOfActor, UUID subject, EstablishmentId fileEstablishment) {
        return reading(new Actor.Person(UUID.randomUUID(), role, subject, establishmentOfActor), fileEstablishment);
    }

    static AccessRequest reading(Actor actor, EstablishmentId fileEstablishment) {
        return new AccessRequest(
                actor,
                PatientRef.account(PATIENT),
                fileEstablishment,
                Action.READ,
                Resource.PATIENT_FILE,
                List.of(Field.MOTIVE),
                Purpose.CARE);
    }

    @Test
    void theExportJobReadsTeleconsultationsAsCiphertextAndTheLogButNoMotiveAndWritesNothing() {
        Actor job = Actor.system("export");
        for (Field field : List.of(
                Field.CONSULTATION_KEY,
                Field.QUESTIONNAIRE_ANSWERS,
                Field.CONSULTATION_MESSAGE,
                Field.CONSULTATION_DOCUMENT)) {
            assertThat(AccessRules.allowed(exportJob(job, Action.READ, Resource.CONSULTATION_MESSAGE, field), NONE))
                    .as(field.code())
                    .containsExactly(DataCategory.MEDICAL);
            assertThat(AccessRules.allowed(exportJob(job, Action.CREATE, Resource.CONSULTATION_MESSAGE, field), NONE))
                    .isEmpty();
        }
        // Medical content Carnet can read (the motive, sealed at rest) never leaves through this door.
        assertThat(AccessRules.allowed(exportJob(job, Action.READ, Resource.APPOINTMENT, Field.MOTIVE), NONE))
                .doesNotContain(DataCategory.MEDICAL);
        assertThat(AccessRules.allowed(
                        new AccessRequest(
                                job,
                                null,
                                ESTABLISHMENT,
                                Action.READ,
                                Resource.ACCESS_LOG,
                                List.of(Field.LOG_ACTOR, Field.LOG_PATIENT),
                                Purpose.EXPORT),
                        NONE))
                .containsExactly(DataCategory.ACCESS_LOG);
        // Another job, for another purpose, reads none of it.
        assertThat(AccessRules.allowed(
                        new AccessRequest(
                                Actor.system("reminders"),
                                PatientRef.account(PATIENT),
                                ESTABLISHMENT,
                                Action.READ,
                                Resource.CONSULTATION_MESSAGE,
                                List.of(Field.CONSULTATION_MESSAGE),
                                Purpose.NOTIFICATION),
                        NONE))
                .isEmpty();
    }

    static AccessRequest exportJob(Actor job, Action action, Resource resource, Field field) {
        return new AccessRequest(
                job, PatientRef.account(PATIENT), ESTABLISHMENT, action, resource, List.of(field), Purpose.EXPORT);
    }

    @Test
    void aPatientSeesAllOfTheirOwnAndNothingOfOthers() {
        assertThat(AccessRules.allowed(asking(Role.PATIENT, null, PATIENT, ESTABLISHMENT), NONE))
                .contains(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA, DataCategory.MEDICAL);
        assertThat(AccessRules.allowed(asking(Role.PATIENT, null, UUID.randomUUID(), ESTABLISHMENT), CARE))
                .isEmpty();
    }

    @Test
    void aPatientIdThatIsAFileIdIsNotThePatientThemselves() {
        Actor.Person patient = new Actor.Person(UUID.randomUUID(), Role.PATIENT, PATIENT, null);
        AccessRequest onFile = new AccessRequest(
                patient,
                PatientRef.file(PATIENT),
                ESTABLISHMENT,
                Action.READ,
                Resource.PATIENT_FILE,
                List.of(Field.FIRST_NAME),
                Purpose.SELF_SERVICE);
        assertThat(AccessRules.allowed(onFile, CARE)).isEmpty();
    }

    @Test
    void aPractitionerNeedsTheirEstablishmentAndACareRelationship() {
        UUID practitioner = UUID.randomUUID();
        assertThat(AccessRules.allowed(asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, ESTABLISHMENT), CARE))
                .contains(DataCategory.MEDICAL);
        assertThat(AccessRules.allowed(
                        asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, ESTABLISHMENT), FILE_ONLY))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, OTHER_ESTABLISHMENT), CARE))
                .isEmpty();
        assertThat(AccessRules.allowed(asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, null), CARE))
                .isEmpty();
    }

    @Test
    void staffAndAdministratorsNeverSeeMedicalContent() {
        for (Role role : List.of(Role.STAFF, Role.ESTABLISHMENT_ADMIN)) {
            assertThat(AccessRules.allowed(asking(role, ESTABLISHMENT, UUID.randomUUID(), ESTABLISHMENT), FILE_ONLY))
                    .containsExactlyInAnyOrder(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA);
            assertThat(AccessRules.allowed(
                            asking(role, ESTABLISHMENT, UUID.randomUUID(), OTHER_ESTABLISHMENT), FILE_ONLY))
                    .isEmpty();
        }
    }

    @Test
    void staffReachOnlyPatientsWithAFileInTheirEstablishment() {
        AccessRequest read = asking(Role.STAFF, ESTABLISHMENT, UUID.randomUUID(), ESTABLISHMENT);
        assertThat(AccessRules.needsFileCheck(read)).isTrue();
        assertThat(AccessRules.allowed(read, NONE)).isEmpty();

        AccessRequest newFile = new AccessRequest(
                read.actor(),
                PatientRef.file(UUID.randomUUID()),
                ESTABLISHMENT,
                Action.CREATE,
                Resource.PATIENT_FILE,
                List.of(Field.FIRST_NAME),
                Purpose.PHONE_BOOKING);
        assertThat(AccessRules.needsFileCheck(newFile)).isFalse();
        assertThat(AccessRules.allowed(newFile, NONE)).contains(DataCategory.IDENTITY);
    }

    @Test
    void theSecurityOfficerSeesNoPatientData() {
        assertThat(AccessRules.allowed(asking(Role.SECURITY_OFFICER, null, UUID.randomUUID(), ESTABLISHMENT), CARE))
                .isEmpty();
    }

    static AccessRequest program(String scopes, EstablishmentId file, Resource resource, Action action) {
        return new AccessRequest(
                new Actor.Client(UUID.randomUUID(), ESTABLISHMENT, java.util.Set.of(scopes.split(" "))),
                PatientRef.file(PATIENT),
                file,
                action,
                resource,
                List.of(Field.SLOT),
                Purpose.AGENDA);
    }

    @Test
    void aProgramGetsWhatItsScopesNameWithinItsOwnEstablishmentsFilesOnly() {
        // The scope × resource × action matrix.
        assertThat(AccessRules.allowed(
                        program("system/Appointment.r", ESTABLISHMENT, Resource.APPOINTMENT, Action.READ), FILE_ONLY))
                .containsExactly(DataCategory.AGENDA);
        assertThat(AccessRules.allowed(
                        program("system/Appointment.s", ESTABLISHMENT, Resource.APPOINTMENT, Action.READ), FILE_ONLY))
                .containsExactly(DataCategory.AGENDA);
        assertThat(AccessRules.allowed(
                        program(
                                "system/Appointment.rs carnet/Appointment.motive",
                                ESTABLISHMENT,
                                Resource.APPOINTMENT,
                                Action.READ),
                        FILE_ONLY))
                .containsExactlyInAnyOrder(DataCategory.AGENDA, DataCategory.MEDICAL);
        assertThat(AccessRules.allowed(
                        program("carnet/Appointment.motive", ESTABLISHMENT, Resource.APPOINTMENT, Action.READ),
                        FILE_ONLY))
                .as("the motive scope alone opens nothing")
                .isEmpty();
        assertThat(AccessRules.allowed(
                        program("system/Appointment.rs", ESTABLISHMENT, Resource.APPOINTMENT, Action.CREATE),
                        FILE_ONLY))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        program("system/Appointment.c", ESTABLISHMENT, Resource.APPOINTMENT, Action.CREATE), FILE_ONLY))
                .containsExactly(DataCategory.AGENDA);
        assertThat(AccessRules.allowed(
                        program("system/Appointment.rs", ESTABLISHMENT, Resource.APPOINTMENT, Action.UPDATE),
                        FILE_ONLY))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        program("system/Appointment.u", ESTABLISHMENT, Resource.APPOINTMENT, Action.UPDATE), FILE_ONLY))
                .containsExactly(DataCategory.AGENDA);
        assertThat(AccessRules.allowed(
                        program("system/Appointment.rs", ESTABLISHMENT, Resource.PATIENT_FILE, Action.READ), FILE_ONLY))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        program("system/Patient.r", ESTABLISHMENT, Resource.PATIENT_FILE, Action.READ), FILE_ONLY))
                .containsExactly(DataCategory.IDENTITY);
        assertThat(AccessRules.allowed(
                        program(
                                "system/Patient.r carnet/Patient.contact",
                                ESTABLISHMENT,
                                Resource.PATIENT_FILE,
                                Action.READ),
                        FILE_ONLY))
                .containsExactlyInAnyOrder(DataCategory.IDENTITY, DataCategory.CONTACT);
        assertThat(AccessRules.allowed(
                        program("system/Patient.cruds", ESTABLISHMENT, Resource.PATIENT_FILE, Action.UPDATE),
                        FILE_ONLY))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        program("system/Slot.rs", ESTABLISHMENT, Resource.APPOINTMENT, Action.READ), FILE_ONLY))
                .isEmpty();
        // Another establishment's file, or a patient without a file here: nothing, whatever the scopes.
        AccessRequest elsewhere = program(
                "system/Appointment.cruds system/Patient.cruds",
                OTHER_ESTABLISHMENT,
                Resource.APPOINTMENT,
                Action.READ);
        assertThat(AccessRules.needsFileCheck(elsewhere)).isFalse();
        assertThat(AccessRules.allowed(elsewhere, FILE_ONLY)).isEmpty();
        AccessRequest noFile = program("system/Appointment.cruds", ESTABLISHMENT, Resource.APPOINTMENT, Action.READ);
        assertThat(AccessRules.needsFileCheck(noFile)).isTrue();
        assertThat(AccessRules.allowed(noFile, NONE)).isEmpty();
    }

    @Test
    void thirdPartyProgramsAndJobsGetNothingOutsideTheirRule() {
        Actor client = new Actor.Client(UUID.randomUUID(), ESTABLISHMENT, java.util.Set.of("system/Appointment.rs"));
        assertThat(AccessRules.allowed(reading(client, ESTABLISHMENT), CARE)).isEmpty();
        assertThat(AccessRules.allowed(reading(Actor.system("reminders"), ESTABLISHMENT), CARE))
                .isEmpty();
        AccessRequest notice = AccessRequest.toAccount(
                Actor.system("notification"),
                PatientRef.account(PATIENT),
                Action.CREATE,
                Resource.INBOX_MESSAGE,
                List.of(Field.MESSAGE),
                Purpose.NOTIFICATION);
        assertThat(AccessRules.allowed(notice, NONE)).containsExactly(DataCategory.AGENDA);
        AccessRequest contact = AccessRequest.toAccount(
                Actor.system("notification"),
                PatientRef.account(PATIENT),
                Action.READ,
                Resource.PATIENT_ACCOUNT,
                List.of(Field.FIRST_NAME, Field.EMAIL, Field.PHONE),
                Purpose.NOTIFICATION);
        assertThat(AccessRules.allowed(contact, NONE))
                .containsExactlyInAnyOrder(DataCategory.IDENTITY, DataCategory.CONTACT);
        // The same read for any other purpose, or a change, is refused.
        AccessRequest otherPurpose = AccessRequest.toAccount(
                Actor.system("notification"),
                PatientRef.account(PATIENT),
                Action.READ,
                Resource.PATIENT_ACCOUNT,
                List.of(Field.EMAIL),
                Purpose.SELF_SERVICE);
        assertThat(AccessRules.allowed(otherPurpose, NONE)).isEmpty();
        AccessRequest change = AccessRequest.toAccount(
                Actor.system("notification"),
                PatientRef.account(PATIENT),
                Action.UPDATE,
                Resource.PATIENT_ACCOUNT,
                List.of(Field.EMAIL),
                Purpose.NOTIFICATION);
        assertThat(AccessRules.allowed(change, NONE)).isEmpty();
    }

    @Test
    void onlyAnAdministratorOfTheEstablishmentReviewsItsLog() {
        for (Role role : Role.values()) {
            Actor.Person actor = new Actor.Person(UUID.randomUUID(), role, UUID.randomUUID(), ESTABLISHMENT);
            AccessRequest review = new AccessRequest(
                    actor,
                    null,
                    ESTABLISHMENT,
                    Action.READ,
                    Resource.ACCESS_LOG,
                    List.of(Field.LOG_ACTOR),
                    Purpose.ACCESS_REVIEW);
            assertThat(AccessRules.allowed(review, CARE).contains(DataCategory.ACCESS_LOG))
                    .as(role.name())
                    .isEqualTo(role == Role.ESTABLISHMENT_ADMIN);
        }
    }

    @Test
    void theSecurityOfficerReadsAnyEstablishmentsLogOnlyToInvestigate() {
        for (Role role : Role.values()) {
            for (EstablishmentId where : java.util.Arrays.asList(ESTABLISHMENT, OTHER_ESTABLISHMENT, null)) {
                Actor.Person actor = new Actor.Person(UUID.randomUUID(), role, UUID.randomUUID(), null);
                AccessRequest investigation = new AccessRequest(
                        actor,
                        null,
                        where,
                        Action.READ,
                        Resource.ACCESS_LOG,
                        List.of(Field.LOG_ACTOR),
                        Purpose.INVESTIGATION);
                assertThat(AccessRules.allowed(investigation, NONE))
                        .as(role.name())
                        .isEqualTo(
                                role == Role.SECURITY_OFFICER
                                        ? java.util.Set.of(DataCategory.ACCESS_LOG)
                                        : java.util.Set.of());
            }
        }
        Actor.Person officer = new Actor.Person(UUID.randomUUID(), Role.SECURITY_OFFICER, UUID.randomUUID(), null);
        for (Action action : List.of(Action.CREATE, Action.UPDATE, Action.DELETE, Action.EXECUTE)) {
            assertThat(AccessRules.allowed(
                            new AccessRequest(
                                    officer,
                                    null,
                                    null,
                                    action,
                                    Resource.ACCESS_LOG,
                                    List.of(Field.LOG_ACTOR),
                                    Purpose.INVESTIGATION),
                            NONE))
                    .as(action.name())
                    .isEmpty();
        }
        // The officer still touches no patient's data itself.
        assertThat(AccessRules.allowed(
                        new AccessRequest(
                                officer,
                                PatientRef.account(PATIENT),
                                ESTABLISHMENT,
                                Action.READ,
                                Resource.PATIENT_FILE,
                                List.of(Field.FIRST_NAME),
                                Purpose.INVESTIGATION),
                        CARE))
                .isEmpty();
    }

    @Test
    void aProgramReadsItsOwnEstablishmentsLogOnlyWithAnAuditEventScope() {
        java.util.function.BiFunction<String, EstablishmentId, java.util.Set<DataCategory>> review =
                (scopes, where) -> AccessRules.allowed(
                        new AccessRequest(
                                new Actor.Client(UUID.randomUUID(), ESTABLISHMENT, java.util.Set.of(scopes.split(" "))),
                                null,
                                where,
                                Action.READ,
                                Resource.ACCESS_LOG,
                                List.of(Field.LOG_ACTOR),
                                Purpose.ACCESS_REVIEW),
                        NONE);
        assertThat(review.apply("system/AuditEvent.rs", ESTABLISHMENT)).containsExactly(DataCategory.ACCESS_LOG);
        assertThat(review.apply("system/AuditEvent.s", ESTABLISHMENT)).containsExactly(DataCategory.ACCESS_LOG);
        assertThat(review.apply("system/AuditEvent.rs", OTHER_ESTABLISHMENT)).isEmpty();
        assertThat(review.apply("system/Appointment.rs system/Patient.r", ESTABLISHMENT))
                .isEmpty();
    }

    @Test
    void onlyAPractitionerOfTheEstablishmentMayBreakTheGlass() {
        assertThat(AccessRules.mayBreakTheGlass(
                        asking(Role.PRACTITIONER, ESTABLISHMENT, UUID.randomUUID(), ESTABLISHMENT)))
                .isTrue();
        assertThat(AccessRules.mayBreakTheGlass(
                        asking(Role.PRACTITIONER, ESTABLISHMENT, UUID.randomUUID(), OTHER_ESTABLISHMENT)))
                .isFalse();
        assertThat(AccessRules.mayBreakTheGlass(asking(Role.STAFF, ESTABLISHMENT, UUID.randomUUID(), ESTABLISHMENT)))
                .isFalse();
    }

    @Test
    void everyFieldHasItsCategoryAndTheLogNamesItAsBefore() {
        assertThat(Field.MOTIVE.category()).isEqualTo(DataCategory.MEDICAL);
        assertThat(Field.PHONE.category()).isEqualTo(DataCategory.CONTACT);
        assertThat(Field.ofCode("first_name")).contains(Field.FIRST_NAME);
        assertThat(Purpose.SELF_SERVICE.code()).isEqualTo("self-service");
    }
}
