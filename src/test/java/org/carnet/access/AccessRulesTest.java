package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Role;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    static final UUID ESTABLISHMENT = UUID.randomUUID();
    static final UUID OTHER_ESTABLISHMENT = UUID.randomUUID();
    static final UUID PATIENT = UUID.randomUUID();

    static AccessRequest asking(Role role, UUID establishmentOfActor, UUID subject, UUID fileEstablishment) {
        CarnetPrincipal actor = new CarnetPrincipal(UUID.randomUUID(), role, subject, establishmentOfActor);
        return new AccessRequest(
                actor, PATIENT, fileEstablishment, AccessEvent.Action.READ, "patient-file", List.of("motive"), "care");
    }

    @Test
    void aPatientSeesAllOfTheirOwnAndNothingOfOthers() {
        assertThat(AccessRules.allowed(asking(Role.PATIENT, null, PATIENT, ESTABLISHMENT), false))
                .containsExactlyInAnyOrder(DataCategory.values());
        assertThat(AccessRules.allowed(asking(Role.PATIENT, null, UUID.randomUUID(), ESTABLISHMENT), true))
                .isEmpty();
    }

    @Test
    void aPractitionerNeedsTheirEstablishmentAndACareRelationship() {
        UUID practitioner = UUID.randomUUID();
        assertThat(AccessRules.allowed(asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, ESTABLISHMENT), true))
                .contains(DataCategory.MEDICAL);
        assertThat(AccessRules.allowed(asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, ESTABLISHMENT), false))
                .isEmpty();
        assertThat(AccessRules.allowed(
                        asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, OTHER_ESTABLISHMENT), true))
                .isEmpty();
        assertThat(AccessRules.allowed(asking(Role.PRACTITIONER, ESTABLISHMENT, practitioner, null), true))
                .isEmpty();
    }

    @Test
    void staffAndAdministratorsNeverSeeMedicalContent() {
        for (Role role : List.of(Role.STAFF, Role.ESTABLISHMENT_ADMIN)) {
            assertThat(AccessRules.allowed(asking(role, ESTABLISHMENT, UUID.randomUUID(), ESTABLISHMENT), true))
                    .containsExactlyInAnyOrder(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA);
            assertThat(AccessRules.allowed(asking(role, ESTABLISHMENT, UUID.randomUUID(), OTHER_ESTABLISHMENT), true))
                    .isEmpty();
        }
    }

    @Test
    void theSecurityOfficerSeesNoPatientData() {
        assertThat(AccessRules.allowed(asking(Role.SECURITY_OFFICER, null, UUID.randomUUID(), ESTABLISHMENT), true))
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
    void anUnclassifiedFieldIsTreatedAsMedical() {
        assertThat(DataCategory.of("questionnaire")).isEqualTo(DataCategory.MEDICAL);
        assertThat(DataCategory.of("phone")).isEqualTo(DataCategory.CONTACT);
    }
}
