/** Synthetic demo data for the embedded default: establishments, practitioners, agendas, demo accounts and a demo connected program. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"clients", "directory", "identity", "patients", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.demo;
