/**
 * The in-app inbox: the source of truth for what Carnet tells its users. A message is a kind and
 * parameters, sealed under the recipient's key and rendered in the reader's language when read.
 * Other modules post through {@link org.carnet.notifications.Inbox}, or publish events that this
 * module listens to ({@code @ApplicationModuleListener}): identity's {@code AccountLocked} and
 * scheduling's appointment events, which must not depend on this module.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"access", "crypto", "identity", "scheduling", "shared"})
@org.jspecify.annotations.NullMarked
package org.carnet.notifications;
