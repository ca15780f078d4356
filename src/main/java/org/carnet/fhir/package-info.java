/**
 * FHIR R4 at {@code /fhir}: a facade over the directory's and scheduling's public APIs, served by
 * HAPI FHIR's plain server. This increment serves only what the public web search shows
 * (Organization, Location, Practitioner, PractitionerRole, Schedule, free Slots), without a token;
 * it reads no table of its own or of another module.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"directory", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.fhir;
