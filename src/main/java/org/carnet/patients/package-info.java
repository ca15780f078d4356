/**
 * Patient accounts (global, sealed under the account's own data key) and each establishment's
 * patient file (sealed under the establishment's data key, created at the first booking there).
 */
package org.carnet.patients;
