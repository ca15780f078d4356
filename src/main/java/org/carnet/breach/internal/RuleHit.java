package org.carnet.breach.internal;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.Rule;
import org.jspecify.annotations.Nullable;

/**
 * One rule fired for one subject.
 *
 * @param subject what the incident is about: {@code client:<id>}, {@code user:<id>}, {@code
 *     source:<keyed hash>}, {@code establishment:<id>}, {@code platform:sign-in}, {@code platform:audit}
 * @param clientId the program, when the subject is one
 * @param userId the login, when the subject is one
 * @param establishments the establishments whose data (or logins) are concerned, possibly none yet
 * @param detail ids and numbers only: what was seen
 */
public record RuleHit(
        Rule rule,
        String subject,
        @Nullable UUID clientId,
        @Nullable UUID userId,
        Set<UUID> establishments,
        Instant at,
        String detail) {

    public RuleHit {
        establishments = Set.copyOf(establishments);
    }

    static String client(UUID id) {
        return "client:" + id;
    }

    static String user(UUID id) {
        return "user:" + id;
    }
}
