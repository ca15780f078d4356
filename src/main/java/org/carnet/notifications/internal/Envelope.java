package org.carnet.notifications.internal;

import org.carnet.notifications.Channel;
import org.jspecify.annotations.Nullable;

/**
 * A message ready to leave: where to (an e-mail address or a phone number), its subject (e-mail only),
 * its plain text and its HTML (e-mail only). Sealed whole in the outbox. Redacted {@code toString}.
 */
public record Envelope(
        Channel channel,
        String to,
        String subject,
        String text,
        @Nullable String html) {

    @Override
    public String toString() {
        return "Envelope[" + channel + "]";
    }
}
