package org.carnet.notifications;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A message of an inbox, opened: its kind (which says which text to show) and its parameters, each a
 * text or an instant (shown as a date and time in the reader's language), and the verification code
 * that the same message carried by e-mail or SMS, if it went out. Redacted {@code toString}.
 */
public record InboxMessage(
        UUID id,
        String kind,
        List<Object> params,
        Instant postedAt,
        boolean read,
        @Nullable String verificationCode) {

    public InboxMessage {
        params = List.copyOf(params);
    }

    @Override
    public String toString() {
        return "InboxMessage[id=" + id + ", kind=" + kind + "]";
    }
}
