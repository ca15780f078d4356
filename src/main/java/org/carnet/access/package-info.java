/**
 * Who may see what of a patient's data. Every read or write of patient data asks {@link
 * org.carnet.access.AccessDecision} (actor, role, establishment, patient, fields, purpose), which
 * decides from the role, the establishment and the care relationship, records the outcome (allowed or
 * denied) in the audit log, and grants only the fields the actor may see. Break-the-glass lets a
 * practitioner open a file of their establishment outside the rule, with a reason, flagged for review.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"audit", "crypto", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.access;
