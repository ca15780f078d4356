package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;

/**
 * The second layer: the URL rules keep non-officers away from the incident console and API, and each breach
 * service refuses them again by itself, so that a URL rule gone wrong (or a new caller inside Carnet) cannot
 * contain, decide, close, scope, draft or tell on an officer's behalf. Nothing changes on the incident.
 */
@CarnetIntegrationTest
class BreachServicesRefuseNonOfficersIntegrationTest {

    @Autowired
    IncidentRecorder recorder;

    @Autowired
    Incidents incidents;

    @Autowired
    BreachRegister register;

    @Autowired
    IncidentScopes scopes;

    @Autowired
    Article33Drafts drafts;

    @Autowired
    Article34Notices notices;

    @Test
    void everyBreachServiceRefusesAnyoneButASecurityOfficer() {
        UUID establishment = UUID.randomUUID();
        UUID suspect = UUID.randomUUID();
        UUID incident = recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect,
                null,
                suspect,
                Set.of(establishment),
                Instant.now(),
                "20 accesses refused within PT10M"));
        Actor.Person officer = new Actor.Person(UUID.randomUUID(), Role.SECURITY_OFFICER, UUID.randomUUID(), null);
        IncidentView before = incidents.get(officer, incident);

        for (Actor.Person someone : List.of(
                person(Role.ESTABLISHMENT_ADMIN, establishment),
                person(Role.PRACTITIONER, establishment),
                person(Role.STAFF, establishment),
                new Actor.Person(UUID.randomUUID(), Role.PATIENT, UUID.randomUUID(), null))) {
            List<ThrowingCallable> calls = List.of(
                    () -> incidents.list(someone, true),
                    () -> incidents.get(someone, incident),
                    () -> incidents.concerning(someone, incident, establishment),
                    () -> incidents.contain(someone, incident, Containment.READ_ONLY_ESTABLISHMENT, establishment),
                    () -> incidents.contain(someone, incident, Containment.LOCK_ACCOUNT, suspect),
                    () -> register.entries(someone),
                    () -> register.decide(
                            someone, incident, establishment, BreachRegister.CnilDecision.NOT_REQUIRED, null),
                    () -> register.close(someone, incident),
                    () -> scopes.scope(someone, incident, null, null),
                    () -> drafts.draft(someone, incident, establishment),
                    () -> notices.tell(someone, incident, establishment));
            for (ThrowingCallable call : calls) {
                assertThatThrownBy(call).as(someone.role().name()).isInstanceOf(AccessDeniedException.class);
            }
        }

        IncidentView after = incidents.get(officer, incident);
        assertThat(after.timeline()).isEqualTo(before.timeline());
        assertThat(after.status()).isEqualTo(before.status());
        BreachRegister.RegisterEntry entry = register.entries(officer).stream()
                .filter(e -> e.incidentId().equals(incident))
                .findFirst()
                .orElseThrow();
        assertThat(entry.closedAt()).isNull();
        assertThat(entry.establishments())
                .extracting(BreachRegister.EstablishmentDecision::decision)
                .containsOnly("PENDING");
    }

    private static Actor.Person person(Role role, UUID establishment) {
        return new Actor.Person(UUID.randomUUID(), role, UUID.randomUUID(), EstablishmentId.of(establishment));
    }
}
