package org.carnet.audit;

import java.util.Objects;
import java.util.UUID;

/**
 * Who performs an access: a signed-in user, a third-party client, or the platform itself (a
 * scheduled job, the demo seeder).
 */
public record Actor(Type type, UUID id, String role) {

    public enum Type {
        USER,
        CLIENT,
        SYSTEM,
        ANONYMOUS
    }

    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
    }

    public static Actor system(String job) {
        return new Actor(Type.SYSTEM, null, job);
    }

    public static Actor anonymous() {
        return new Actor(Type.ANONYMOUS, null, "ANONYMOUS");
    }
}
