/**
 * Agendas: opening hours and absences, the slots generated from them, availability search,
 * booking, cancelling and rescheduling. A slot is booked by at most one appointment, enforced by a
 * conditional update in the database.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "crypto", "directory", "identity", "notifications", "patients", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.scheduling;
