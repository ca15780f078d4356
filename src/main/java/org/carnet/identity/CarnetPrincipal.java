package org.carnet.identity;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The signed-in user as every module sees it.
 *
 * @param userId the login's id
 * @param role what the user is
 * @param subjectId the patient account or practitioner this login belongs to
 * @param establishmentId the establishment of a professional, {@code null} for a patient
 */
public record CarnetPrincipal(
        UUID userId, Role role, UUID subjectId, @Nullable UUID establishmentId) implements Serializable {

    /** Implemented by the principals Spring Security holds, whatever the way of signing in. */
    interface Holder {
        CarnetPrincipal carnetPrincipal();
    }

    public CarnetPrincipal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(subjectId, "subjectId");
    }

    /** This user as every other module sees them. */
    public Actor.Person person() {
        return new Actor.Person(
                userId, role, subjectId, establishmentId == null ? null : new EstablishmentId(establishmentId));
    }

    /** The principal of the current request, if someone is signed in. */
    public static Optional<CarnetPrincipal> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Holder holder) {
            return Optional.of(holder.carnetPrincipal());
        }
        return Optional.empty();
    }

    /** The principal of the current request; the security filters guarantee one on protected paths. */
    public static CarnetPrincipal required() {
        return current().orElseThrow(() -> new IllegalStateException("No signed-in user"));
    }
}
