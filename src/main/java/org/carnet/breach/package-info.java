/**
 * Breach detection and response: rules over the access log and the sign-in failures, in near real
 * time; incidents with their GDPR Article 33 clock (72 hours from awareness); containment in one
 * action each (suspend a program, lock an account, end an account's sessions and tokens), automatic
 * for a program caught reading in bulk. See docs/breach-response.md.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "audit", "clients", "crypto", "directory", "exports", "identity", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.breach;
