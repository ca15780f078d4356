package org.carnet.notifications.internal;

import java.util.UUID;

/** Where e-mail goes: an SMTP server, or a folder of {@code .eml} files on the embedded default. */
interface MailTransport {

    /**
     * Sends one message; the outbox id names it (its Message-ID), so that a copy sent again after a
     * lost acknowledgement is recognisably the same message.
     *
     * @throws Exception when the message may not have left; the outbox tries again later
     */
    void send(UUID id, Envelope envelope) throws Exception;
}
