/**
 * Secure exports of an establishment's data when it leaves: requested by its administrator for a named
 * recipient and their OpenPGP key, approved by a security officer (never the requester), downloaded
 * once by the recipient as an archive encrypted to their key and signed by Carnet's; every export
 * carries keyed invisible marks and canary records, so that {@code leak-trace} can tell which export a
 * leaked file came from. See docs/exports.md.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "access",
            "audit",
            "crypto",
            "directory",
            "identity",
            "patients",
            "scheduling",
            "shared",
            "teleconsultation"
        })
@org.jspecify.annotations.NullMarked
package org.carnet.exports;
