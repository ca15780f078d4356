/**
 * Envelope encryption of personal fields. A master key from a {@link org.carnet.crypto.KeyProvider}
 * wraps one data key per owner (an establishment or a patient account); {@link
 * org.carnet.crypto.FieldSealer} seals each field with AES-256-GCM under its owner's data key, the
 * associated data binding it to its table, column and row. {@link org.carnet.crypto.BlindIndex}
 * gives keyed hashes for exact-match look-ups. Every format starts with a version byte.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.crypto;
