/**
 * Agendas: opening hours and absences, the slots generated from them, availability search,
 * booking, cancelling and rescheduling. A slot is booked by at most one appointment, enforced by a
 * conditional update in the database. Others react to the events it publishes ({@link
 * org.carnet.scheduling.AppointmentBooked}, {@link org.carnet.scheduling.AppointmentCancelled}, {@link
 * org.carnet.scheduling.AppointmentMoved}, {@link org.carnet.scheduling.AppointmentAffectedByAbsence}).
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "crypto", "directory", "identity", "patients", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.scheduling;
