package org.carnet.access;

import org.carnet.shared.Actor;
import org.carnet.shared.PatientRef;

/**
 * A program's quota of distinct patients, asked by {@link AccessDecision} before it grants a program
 * anything of a patient. Implemented by the module that registers programs.
 */
public interface ProgramQuotas {

    /**
     * Counts the patient for the program, in the caller's transaction (a refused request counts nothing).
     *
     * @throws org.carnet.shared.TooManyRequestsException when the patient is a new one beyond the quota
     */
    void admit(Actor.Client client, PatientRef patient);
}
