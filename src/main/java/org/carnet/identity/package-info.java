/**
 * Logins, password hashes (Argon2id), bearer tokens and the signed-in principal. E-mail addresses
 * appear here only as blind indexes; the sealed address belongs to the account's owner module.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"crypto", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.identity;
