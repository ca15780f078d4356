/**
 * Patient accounts (global, sealed under the account's own data key) and each establishment's
 * patient file (sealed under the establishment's data key, created at the first booking there).
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"access", "crypto", "identity", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.patients;
