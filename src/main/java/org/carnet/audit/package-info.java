/**
 * The access log. Every read or write of a patient's data goes through {@link
 * org.carnet.audit.AuditLog#record}, which appends one entry (who, for whom, which patient, which
 * fields, why, outcome, when, from where) and never the content of the fields themselves.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"crypto", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.audit;
