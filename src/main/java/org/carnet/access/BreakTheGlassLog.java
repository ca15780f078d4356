package org.carnet.access;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PatientRef;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Break-the-glass openings waiting for review; the written reason is sealed under the establishment's key. */
@Component
public class BreakTheGlassLog {

    static final int MIN_REASON = 10;
    static final int MAX_REASON = 1000;

    /** One opening, as the establishment administrator reviews it. */
    public record Opening(UUID id, Instant at, UUID actorUserId, UUID patientId, String reason) {

        @Override
        public String toString() {
            return "Opening[id=" + id + ", reason redacted]";
        }
    }

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final Clock clock;

    BreakTheGlassLog(JdbcClient jdbc, FieldSealer sealer, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Whether a written reason is acceptable: 10 to 1,000 characters once trimmed. */
    public static boolean acceptableReason(@Nullable String reason) {
        int length = reason == null ? 0 : reason.strip().length();
        return length >= MIN_REASON && length <= MAX_REASON;
    }

    void flag(AccessRequest request, @Nullable String reason) {
        // Only after AccessRules.mayBreakTheGlass and the file check: both are there.
        EstablishmentId establishment = Objects.requireNonNull(request.establishment(), "establishment");
        PatientRef patient = Objects.requireNonNull(request.patient(), "patient");
        String text = reason == null ? "" : reason.strip();
        if (!acceptableReason(text)) {
            throw new InvalidRequestException(
                    "reason", "must be between " + MIN_REASON + " and " + MAX_REASON + " characters");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO break_glass_openings (id, establishment_id, actor_user_id, patient_id, reason,"
                        + " opened_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        id,
                        establishment.value(),
                        ((Actor.Person) request.actor()).userId(),
                        patient.id(),
                        sealer.seal(KeyOwner.establishment(establishment.value()), reasonColumn(id), text),
                        clock.instant().atOffset(ZoneOffset.UTC))
                .update();
    }

    /** The establishment's openings not yet reviewed, latest first. */
    public List<Opening> toReview(UUID establishmentId) {
        return jdbc.sql("SELECT id, opened_at, actor_user_id, patient_id, reason FROM break_glass_openings"
                        + " WHERE establishment_id = ? AND reviewed_at IS NULL ORDER BY opened_at DESC")
                .param(establishmentId)
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new Opening(
                            id,
                            rs.getObject("opened_at", java.time.OffsetDateTime.class)
                                    .toInstant(),
                            rs.getObject("actor_user_id", UUID.class),
                            rs.getObject("patient_id", UUID.class),
                            sealer.open(
                                    KeyOwner.establishment(establishmentId), reasonColumn(id), rs.getBytes("reason")));
                })
                .list();
    }

    /** Marks an opening of the establishment reviewed; false if there is no such opening there. */
    public boolean markReviewed(UUID establishmentId, UUID openingId, UUID reviewerUserId) {
        return jdbc.sql("UPDATE break_glass_openings SET reviewed_at = ?, reviewed_by = ?"
                                + " WHERE establishment_id = ? AND id = ? AND reviewed_at IS NULL")
                        .params(clock.instant().atOffset(ZoneOffset.UTC), reviewerUserId, establishmentId, openingId)
                        .update()
                == 1;
    }

    private static SealedColumn reasonColumn(UUID id) {
        return SEALED.column("reason", id);
    }

    /** The written reason, sealed under the establishment's key. */
    static final SealedTable SEALED =
            SealedTable.of("break_glass_openings", "establishment_id", KeyOwner.Type.ESTABLISHMENT, "reason");

    /** The openings' sealed table, declared to crypto's one list. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class SealedTables {
        @org.springframework.context.annotation.Bean
        SealedTable breakGlassOpeningsTable() {
            return SEALED;
        }
    }
}
