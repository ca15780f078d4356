/**
 * Access transparency: patients read every access to their data, establishment administrators
 * search and export their establishment's access log, the security officer verifies the chains.
 * Reads the audit module's log and names actors through identity and the directory.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "audit", "clients", "directory", "identity", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.accesslog;
