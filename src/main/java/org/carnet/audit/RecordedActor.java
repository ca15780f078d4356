package org.carnet.audit;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who performed an access, as the log stores it: a signed-in user, a third-party client, or the
 * platform itself (a scheduled job, a listener, the demo seeder).
 */
public record RecordedActor(Type type, @Nullable UUID id, String role) {

    public enum Type {
        USER,
        CLIENT,
        SYSTEM,
        ANONYMOUS
    }

    public RecordedActor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(role, "role");
    }

    /** How the log stores the kernel's actor. */
    static RecordedActor of(org.carnet.shared.Actor actor) {
        if (actor instanceof org.carnet.shared.Actor.Person person) {
            return new RecordedActor(Type.USER, person.userId(), person.auditRole());
        }
        if (actor instanceof org.carnet.shared.Actor.Client client) {
            return new RecordedActor(Type.CLIENT, client.clientId(), client.auditRole());
        }
        return new RecordedActor(Type.SYSTEM, null, actor.auditRole());
    }
}
