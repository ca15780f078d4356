package org.carnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

class ModularityTests {

    /** Where the module diagrams are written for readers of the build output. */
    static final Path DOCS = Path.of("target", "spring-modulith-docs");

    private final ApplicationModules modules = ApplicationModules.of(CarnetApplication.class);

    @Test
    void modulesOnlyUseEachOthersPublicApiAndHaveNoCycles() {
        modules.verify();
    }

    @Test
    void writesOneDiagramOfAllModulesAndOnePerModule() throws IOException {
        // The default options empty the folder first, so nothing left by an earlier build is read here.
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(DOCS.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();

        String overview = Files.readString(DOCS.resolve("components.puml"));
        assertThat(modules.stream()).isNotEmpty().allSatisfy(module -> {
            // The overview draws the modules linked to another; one with no link either way has its own diagram only.
            boolean linked = !module.getDirectDependencies(modules).isEmpty()
                    || modules.stream()
                            .anyMatch(other ->
                                    other.getDirectDependencies(modules).contains(module));
            if (linked) {
                assertThat(overview).as("overview diagram").contains("\"" + module.getDisplayName() + "\"");
            }
            assertThat(DOCS.resolve("module-" + module.getIdentifier().toString() + ".puml"))
                    .as("diagram of module %s", module.getIdentifier())
                    .isNotEmptyFile();
        });
    }
}
