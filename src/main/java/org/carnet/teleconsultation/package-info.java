/**
 * Teleconsultation's end-to-end encryption foundations: the signed, append-only key directory of users'
 * and establishments' public keys ({@link org.carnet.teleconsultation.KeyDirectory}), each teleconsultation
 * appointment's key wrapped to its patient, practitioner and establishment ({@link
 * org.carnet.teleconsultation.ConsultationKeys}), and pre-consultation questionnaires whose answers the
 * server stores as ciphertext it cannot open ({@link org.carnet.teleconsultation.Questionnaires}). Every
 * fetch of a wrapped key or of answers is decided and recorded by the access decision; {@link
 * org.carnet.teleconsultation.ConsultationExport} hands an establishment's teleconsultations, as stored, to
 * its export. See docs/e2e.md.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "crypto", "directory", "identity", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.teleconsultation;
