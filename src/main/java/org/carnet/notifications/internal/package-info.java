/**
 * The outgoing side of notifications: the outbox table, its delivery worker, e-mail (SMTP, or a folder
 * of {@code .eml} files on the embedded default) and SMS providers, and message verification codes.
 */
@org.jspecify.annotations.NullMarked
package org.carnet.notifications.internal;
