/**
 * FHIR R4 at {@code /fhir}: a facade over the directory's, scheduling's and patients' public APIs,
 * served by HAPI FHIR's plain server. Without a token, what the public web search shows
 * (Organization, Location, Practitioner, PractitionerRole, Schedule, free Slots); for a third-party
 * program's token, its own establishment's Appointments and Patients within its scopes (checked here
 * before anything is looked up, then decided and recorded per patient by the access decision). It
 * reads no table of its own or of another module.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "accesslog",
            "audit",
            "clients",
            "directory",
            "identity",
            "patients",
            "scheduling",
            "shared"
        })
@org.jspecify.annotations.NullMarked
package org.carnet.fhir;
