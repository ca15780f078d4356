/**
 * The data subject's rights over their account (see docs/privacy.md): their own copy of everything
 * Carnet holds about them (GDPR art. 15 and 20), as JSON and as a readable page, and the erasure of
 * their account by crypto-shredding (art. 17). Reads and changes go through the owning modules'
 * services, each through the access decision.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "accesslog", "directory", "identity", "patients", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.privacy;
