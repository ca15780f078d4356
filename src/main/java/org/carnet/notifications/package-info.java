/**
 * The in-app inbox: the source of truth for what Carnet tells its users. A message is a kind and
 * parameters, sealed under the recipient's key and rendered in the reader's language when read.
 * Other modules post through {@link org.carnet.notifications.Inbox}; this module depends on identity
 * only for the signed-in user, so identity must reach it through an event listened to here.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"access", "crypto", "identity", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.notifications;
