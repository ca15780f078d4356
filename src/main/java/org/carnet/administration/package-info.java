/**
 * The establishment administrator's pages: creating practitioner and staff accounts of their
 * establishment, and reviewing break-the-glass openings.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "directory", "identity", "patients", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.administration;
