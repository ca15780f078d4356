/**
 * What Carnet tells its users: the in-app inbox (the source of truth; a message is a kind and
 * parameters, sealed under the recipient's key and rendered in the reader's language when read), and
 * the same notices by e-mail or SMS through a transactional outbox, without links, each with a
 * verification code that {@code /verifier} confirms.
 * Other modules post through {@link org.carnet.notifications.Inbox}, or publish events that this
 * module listens to ({@code @ApplicationModuleListener}): identity's {@code AccountLocked} and
 * scheduling's appointment events, teleconsultation's {@code ExchangePosted}, clients' {@code ClientStateChanged} and breach's {@code
 * IncidentOpened}, which must not depend on this
 * module.
 */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {
            "access",
            "breach",
            "clients",
            "crypto",
            "directory",
            "identity",
            "patients",
            "scheduling",
            "shared",
            "teleconsultation"
        })
@org.jspecify.annotations.NullMarked
package org.carnet.notifications;
