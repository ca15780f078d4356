/**
 * Encrypted backups of Carnet's database and their restore: {@code backup create FILE} streams the
 * database's own dump ({@code pg_dump} on PostgreSQL, {@code SCRIPT} on H2) through an OpenPGP message
 * encrypted to the operator's public key and signed by Carnet's key, so that nothing readable reaches
 * the disk; {@code backup restore FILE} opens it with the operator's private key, checks integrity and
 * signature, and loads it into an empty database in one transaction. See docs/operations.md.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"crypto", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.backup;
