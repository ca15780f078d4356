package org.carnet.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * The directory started alone (Spring Modulith's module test): it needs nothing of any other module,
 * and its search finds a practitioner by specialty and by city, accents and case aside.
 */
@ApplicationModuleTest
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestDatabase.class)
// Only this module's beans: audit's grants to Carnet's restricted database role are not among them.
@TestPropertySource(properties = TestDatabase.AS_OWNER + "=true")
class DirectoryModuleIntegrationTest {

    @Autowired
    Directory directory;

    @Autowired
    ApplicationContext context;

    @Test
    void startsWithoutAnyOtherModuleAndFindsItsPractitioners() {
        assertThat(context.getBeanNamesForType(org.carnet.access.AccessDecision.class))
                .as("no other module's beans are started")
                .isEmpty();
        long serial = System.nanoTime() % 1_000_000;
        Establishment establishment = directory.addEstablishment(
                Finess.of("74", (int) serial),
                "Centre de test " + serial,
                "1 rue du Test",
                "Saint-Étienne-Ville",
                "74000");
        Practitioner practitioner = directory.addPractitioner(
                establishment.id(), Rpps.of(6_000_000_000L + serial), "Prénom", "Nom", Specialty.PEDIATRE);

        List<UUID> found = directory.search(Specialty.PEDIATRE, "saint-etienne-ville", false);
        assertThat(found).contains(practitioner.id());
        assertThat(directory.search(Specialty.DERMATOLOGUE, "saint-etienne-ville", false))
                .doesNotContain(practitioner.id());
    }
}
