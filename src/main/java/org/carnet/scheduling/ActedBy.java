package org.carnet.scheduling;

/** Who booked, cancelled or moved an appointment: the patient online, or the practice. */
public enum ActedBy {
    PATIENT,
    PRACTICE
}
