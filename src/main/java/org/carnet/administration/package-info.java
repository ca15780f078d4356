/**
 * The establishment administrator's pages: inviting practitioners and staff of their
 * establishment, and reviewing break-the-glass openings; and the platform operator's {@code admin}
 * commands (first security officer, new establishments with their administrator).
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "directory", "identity", "notifications", "patients", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.administration;
