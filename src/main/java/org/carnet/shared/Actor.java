package org.carnet.shared;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who touches data: a signed-in person, a third-party program acting for one establishment, or the
 * platform itself (a scheduled job, a listener, the demo seeder). Every access decision and audit
 * entry names one.
 */
public sealed interface Actor {

    /** The establishment the actor acts within, or {@code null} for a patient or the platform. */
    @Nullable
    EstablishmentId establishment();

    /** How the access log names the actor's kind: the role, {@code CLIENT}, or the job's name. */
    String auditRole();

    /**
     * A signed-in person.
     *
     * @param userId the login's id
     * @param subjectId the patient account, practitioner or login this person is
     * @param establishment a professional's establishment; {@code null} for patients and security officers
     */
    record Person(
            UUID userId,
            Role role,
            UUID subjectId,
            @Nullable EstablishmentId establishment) implements Actor {
        public Person {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(subjectId, "subjectId");
        }

        /** The establishment's raw id, or {@code null}. */
        public @Nullable UUID establishmentId() {
            return establishment == null ? null : establishment.value();
        }

        /**
         * A professional's establishment's raw id: practitioners, staff and establishment
         * administrators always have one, and the security rules keep the callers to them.
         */
        public UUID professionalEstablishmentId() {
            return Objects.requireNonNull(establishmentId(), "a professional acts within an establishment");
        }

        @Override
        public String auditRole() {
            return role.name();
        }
    }

    /**
     * A third-party program registered by one establishment, acting within it and its granted scopes:
     * for itself ({@code system/} scopes, client credentials), or for a signed-in professional of that
     * establishment ({@code user/} scopes, authorization code), whose own rights then bound it too.
     *
     * @param user the professional the program acts for, or {@code null} when it acts for itself
     */
    record Client(
            UUID clientId,
            EstablishmentId establishment,
            Set<String> scopes,
            @Nullable Person user) implements Actor {
        public Client {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(establishment, "establishment");
            scopes = Set.copyOf(scopes);
            if (user != null && !establishment.equals(user.establishment())) {
                throw new IllegalArgumentException("A program acts only for a professional of its own establishment");
            }
        }

        /** A program acting for itself. */
        public Client(UUID clientId, EstablishmentId establishment, Set<String> scopes) {
            this(clientId, establishment, scopes, null);
        }

        /** The scopes' context: {@code user} when acting for a professional, else {@code system}. */
        public String scopeContext() {
            return user == null ? "system" : "user";
        }

        @Override
        public String auditRole() {
            return "CLIENT";
        }
    }

    /** The platform itself: a scheduled job or a listener, named. */
    record System(String job) implements Actor {
        public System {
            Objects.requireNonNull(job, "job");
        }

        @Override
        public @Nullable EstablishmentId establishment() {
            return null;
        }

        @Override
        public String auditRole() {
            return job;
        }
    }

    static Actor system(String job) {
        return new System(job);
    }
}
