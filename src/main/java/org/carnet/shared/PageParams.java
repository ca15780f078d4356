package org.carnet.shared;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Lenient reading of page parameters: a malformed value is treated as absent, never as an error page. */
public final class PageParams {

    private PageParams() {}

    public static Optional<UUID> uuid(@Nullable String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
