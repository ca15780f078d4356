package org.carnet.directory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.carnet.access.PractitionerDepartures;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.InvalidRequestException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Practitioners who left their establishment, as its administrator recorded it (docs/e2e.md, "The
 * establishment key"): a departure is final (recorded once, never undone) and the access decision grants a
 * departed practitioner none of the establishment's patients' data from then on. The practitioner's
 * directory entry and login stay (their past appointments name them).
 */
@Service
public class Departures implements PractitionerDepartures {

    private final JdbcClient jdbc;
    private final Directory directory;

    Departures(JdbcClient jdbc, Directory directory) {
        this.jdbc = jdbc;
        this.directory = directory;
    }

    /**
     * Records that a practitioner of the establishment left it, at most once (a second record keeps the
     * first time).
     *
     * @throws InvalidRequestException for a practitioner who is not of this establishment
     */
    @Transactional
    public Instant record(UUID establishmentId, UUID practitionerId, Instant at, UUID recordedBy) {
        if (directory
                .practitioner(practitionerId)
                .filter(p -> p.establishmentId().equals(establishmentId))
                .isEmpty()) {
            throw new InvalidRequestException("practitioner", "not a practitioner here");
        }
        Optional<Instant> earlier = departedAt(establishmentId, practitionerId);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        jdbc.sql("INSERT INTO practitioner_departures (establishment_id, practitioner_id, departed_at, recorded_by)"
                        + " VALUES (?, ?, ?, ?)")
                .params(establishmentId, practitionerId, at.atOffset(ZoneOffset.UTC), recordedBy)
                .update();
        return at;
    }

    /** When the practitioner left the establishment, if they did. */
    public Optional<Instant> departedAt(UUID establishmentId, UUID practitionerId) {
        return jdbc.sql("SELECT departed_at FROM practitioner_departures WHERE establishment_id = ?"
                        + " AND practitioner_id = ?")
                .params(establishmentId, practitionerId)
                .query(OffsetDateTime.class)
                .optional()
                .map(OffsetDateTime::toInstant);
    }

    /** The establishment's departed practitioners and when each left. */
    public Map<UUID, Instant> of(UUID establishmentId) {
        return jdbc
                .sql("SELECT practitioner_id, departed_at FROM practitioner_departures WHERE establishment_id = ?")
                .param(establishmentId)
                .query((rs, n) -> Map.entry(
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("departed_at", OffsetDateTime.class).toInstant()))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public boolean departed(UUID practitionerId, EstablishmentId establishment) {
        return departedAt(establishment.value(), practitionerId).isPresent();
    }
}
