package org.carnet.access;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.junit.jupiter.api.Test;

/** The access decision is the one door to patient data: no other module writes the access log itself. */
class OneDoorTest {

    private final JavaClasses carnet = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.carnet");

    @Test
    void onlyAccessAndAuditWriteAuditEntries() {
        noClasses()
                .that()
                .resideOutsideOfPackages("org.carnet.access..", "org.carnet.audit..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(AuditLog.class)
                .orShould()
                .callConstructor(
                        AccessEvent.class,
                        Actor.class,
                        UUID.class,
                        PatientRef.class,
                        EstablishmentId.class,
                        Action.class,
                        Resource.class,
                        List.class,
                        Purpose.class,
                        AccessEvent.Outcome.class)
                .because("every access to patient data is recorded by the access decision alone")
                .check(carnet);
    }
}
