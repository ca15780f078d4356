/** Synthetic demo data for the embedded default: establishments, practitioners, agendas and demo accounts. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"directory", "identity", "patients", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.demo;
