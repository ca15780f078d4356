package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.junit.jupiter.api.Test;

/**
 * What an establishment's read-only mode holds back (issue 17 item 3): every creation, change or deletion
 * of its patients' data by a person or a program; not reads, not the platform's own jobs, not the access
 * log, exports or inbox messages, not a patient's own account, nor their new address copied to their files.
 */
class ReadOnlyChangesTest {

    static final EstablishmentId ESTABLISHMENT = EstablishmentId.of(UUID.randomUUID());
    static final Actor.Person PATIENT = new Actor.Person(UUID.randomUUID(), Role.PATIENT, UUID.randomUUID(), null);
    static final Actor.Person STAFF = new Actor.Person(UUID.randomUUID(), Role.STAFF, UUID.randomUUID(), ESTABLISHMENT);
    static final Actor.Client PROGRAM =
            new Actor.Client(UUID.randomUUID(), ESTABLISHMENT, Set.of("system/Appointment.crus"));

    static AccessRequest request(Actor actor, EstablishmentId establishment, Action action, Resource resource) {
        return request(actor, establishment, action, resource, Purpose.BOOKING);
    }

    static AccessRequest request(
            Actor actor, EstablishmentId establishment, Action action, Resource resource, Purpose purpose) {
        return new AccessRequest(
                actor,
                PatientRef.account(PATIENT.subjectId()),
                establishment,
                action,
                resource,
                List.of(Field.SLOT),
                purpose);
    }

    @Test
    void everyChangeByAPersonOrAProgramToTheEstablishmentsPatientDataIsHeldBack() {
        for (Actor actor : List.of(PATIENT, STAFF, PROGRAM)) {
            for (Action action : List.of(Action.CREATE, Action.UPDATE, Action.DELETE)) {
                for (Resource resource : List.of(
                        Resource.APPOINTMENT,
                        Resource.PATIENT_FILE,
                        Resource.CONSULTATION_MESSAGE,
                        Resource.QUESTIONNAIRE_ANSWERS)) {
                    assertThat(AccessRules.changesEstablishmentData(request(actor, ESTABLISHMENT, action, resource)))
                            .as(actor.getClass().getSimpleName() + " " + action + " " + resource)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void readsJobsAndWhatIsNotTheEstablishmentsPatientDataGoOn() {
        assertThat(AccessRules.changesEstablishmentData(
                        request(STAFF, ESTABLISHMENT, Action.READ, Resource.APPOINTMENT)))
                .isFalse();
        assertThat(AccessRules.changesEstablishmentData(
                        request(PROGRAM, ESTABLISHMENT, Action.EXECUTE, Resource.APPOINTMENT)))
                .isFalse();
        assertThat(AccessRules.changesEstablishmentData(request(
                        new Actor.System("reminders"),
                        ESTABLISHMENT,
                        Action.CREATE,
                        Resource.INBOX_MESSAGE,
                        Purpose.NOTIFICATION)))
                .isFalse();
        assertThat(AccessRules.changesEstablishmentData(request(
                        new Actor.System("export"),
                        ESTABLISHMENT,
                        Action.CREATE,
                        Resource.APPOINTMENT,
                        Purpose.EXPORT)))
                .isFalse();
        for (Resource notPatientData :
                List.of(Resource.ACCESS_LOG, Resource.EXPORT, Resource.INBOX_MESSAGE, Resource.DATA_COPY)) {
            assertThat(AccessRules.changesEstablishmentData(
                            request(STAFF, ESTABLISHMENT, Action.CREATE, notPatientData)))
                    .as(notPatientData.code())
                    .isFalse();
        }
        // The patient's own account, and their new address copied into their files.
        assertThat(AccessRules.changesEstablishmentData(
                        request(PATIENT, null, Action.UPDATE, Resource.PATIENT_ACCOUNT)))
                .isFalse();
        assertThat(AccessRules.changesEstablishmentData(
                        request(PATIENT, ESTABLISHMENT, Action.UPDATE, Resource.PATIENT_FILE, Purpose.SELF_SERVICE)))
                .isFalse();
        assertThat(AccessRules.changesEstablishmentData(
                        request(STAFF, ESTABLISHMENT, Action.UPDATE, Resource.PATIENT_FILE, Purpose.SELF_SERVICE)))
                .as("only the patient's own address")
                .isTrue();
    }
}
