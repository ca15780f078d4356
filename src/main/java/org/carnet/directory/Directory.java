package org.carnet.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.carnet.shared.AfterTransaction;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The directory's API: registering establishments, practitioners and motives, and finding them. */
@Service
public class Directory {

    /** How many practitioners a place-and-specialty search considers at most. */
    public static final int SEARCH_LIMIT = 5000;

    private static final RowMapper<Establishment> ESTABLISHMENT = (rs, n) -> new Establishment(
            rs.getObject("id", UUID.class),
            new Finess(rs.getString("finess")),
            rs.getString("name"),
            rs.getString("address"),
            rs.getString("city"),
            rs.getString("postcode"));

    private static final RowMapper<Practitioner> PRACTITIONER = (rs, n) -> new Practitioner(
            rs.getObject("id", UUID.class),
            rs.getObject("establishment_id", UUID.class),
            new Rpps(rs.getString("rpps")),
            rs.getString("first_name"),
            rs.getString("last_name"),
            Specialty.valueOf(rs.getString("specialty")));

    private static final RowMapper<VisitMotive> MOTIVE = (rs, n) -> new VisitMotive(
            rs.getObject("id", UUID.class),
            rs.getObject("practitioner_id", UUID.class),
            rs.getObject("establishment_id", UUID.class),
            rs.getString("label"),
            rs.getInt("duration_minutes"),
            rs.getBoolean("teleconsultation"));

    /*
     * Establishments, practitioners and motives by id, kept in memory: every booking and every agenda
     * names them, and their rows are never updated (an establishment's closing is a column of its own,
     * not part of the record). A motive can be removed: this node forgets it at once, another within
     * MOTIVE_MEMORY, during which it may still be booked there (the appointment keeps its own sealed
     * copy of the label anyway). If any of these rows ever becomes editable, evict it here.
     */
    private static final Duration MOTIVE_MEMORY = Duration.ofSeconds(30);
    private static final Duration ROW_MEMORY = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Cache<UUID, Establishment> establishmentsById = Caffeine.newBuilder()
            .expireAfterWrite(ROW_MEMORY)
            .maximumSize(20_000)
            .build();
    private final Cache<UUID, Practitioner> practitionersById = Caffeine.newBuilder()
            .expireAfterWrite(ROW_MEMORY)
            .maximumSize(100_000)
            .build();
    private final Cache<UUID, VisitMotive> motivesById = Caffeine.newBuilder()
            .expireAfterWrite(MOTIVE_MEMORY)
            .maximumSize(200_000)
            .build();

    Directory(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional
    public Establishment addEstablishment(Finess finess, String name, String address, String city, String postcode) {
        requireText("name", name, 200);
        requireText("address", address, 200);
        requireText("city", city, 100);
        if (postcode == null || !postcode.matches("\\d{5}")) {
            throw new InvalidRequestException("postcode", "must be 5 digits");
        }
        Establishment establishment = new Establishment(UUID.randomUUID(), finess, name, address, city, postcode);
        try {
            jdbc.sql("INSERT INTO establishments (id, finess, name, address, city, city_key, postcode)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(establishment.id(), finess.value(), name, address, city, placeKey(city), postcode)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("An establishment with this FINESS number already exists");
        }
        return establishment;
    }

    @Transactional
    public Practitioner addPractitioner(
            UUID establishmentId, Rpps rpps, String firstName, String lastName, Specialty specialty) {
        requireText("firstName", firstName, 100);
        requireText("lastName", lastName, 100);
        if (establishment(establishmentId).isEmpty()) {
            throw new InvalidRequestException("establishmentId", "unknown establishment");
        }
        Practitioner practitioner =
                new Practitioner(UUID.randomUUID(), establishmentId, rpps, firstName, lastName, specialty);
        try {
            jdbc.sql("INSERT INTO practitioners (id, establishment_id, rpps, first_name, last_name, specialty)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .params(practitioner.id(), establishmentId, rpps.value(), firstName, lastName, specialty.name())
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("A practitioner with this RPPS number already exists");
        }
        return practitioner;
    }

    @Transactional
    public VisitMotive addMotive(UUID practitionerId, String label, int durationMinutes, boolean teleconsultation) {
        requireText("label", label, 120);
        if (durationMinutes < 5 || durationMinutes > 240) {
            throw new InvalidRequestException("durationMinutes", "must be between 5 and 240");
        }
        Practitioner practitioner = practitioner(practitionerId)
                .orElseThrow(() -> new InvalidRequestException("practitionerId", "unknown practitioner"));
        VisitMotive motive = new VisitMotive(
                UUID.randomUUID(),
                practitionerId,
                practitioner.establishmentId(),
                label,
                durationMinutes,
                teleconsultation);
        jdbc.sql("INSERT INTO visit_motives (id, establishment_id, practitioner_id, label, duration_minutes,"
                        + " teleconsultation) VALUES (?, ?, ?, ?, ?, ?)")
                .params(motive.id(), motive.establishmentId(), practitionerId, label, durationMinutes, teleconsultation)
                .update();
        events.publishEvent(new MotivesChanged(practitionerId));
        return motive;
    }

    /** Removes a motive of the practitioner; appointments booked with it keep their own sealed copy. */
    @Transactional
    public boolean removeMotive(UUID practitionerId, UUID motiveId) {
        motivesById.invalidate(motiveId);
        AfterTransaction.run(() -> motivesById.invalidate(motiveId));
        boolean removed = jdbc.sql("DELETE FROM visit_motives WHERE practitioner_id = ? AND id = ?")
                        .params(practitionerId, motiveId)
                        .update()
                == 1;
        if (removed) {
            events.publishEvent(new MotivesChanged(practitionerId));
        }
        return removed;
    }

    public Optional<Establishment> establishment(UUID id) {
        return Optional.ofNullable(establishments(List.of(id)).get(id));
    }

    /** The establishment with this FINESS number, if listed. */
    public Optional<Establishment> establishment(Finess finess) {
        return jdbc.sql("SELECT * FROM establishments WHERE finess = ?")
                .param(finess.value())
                .query(ESTABLISHMENT)
                .optional();
    }

    public Map<UUID, Establishment> establishments(Collection<UUID> ids) {
        return byIds(establishmentsById, ids, "establishments", ESTABLISHMENT, Establishment::id);
    }

    public Optional<Practitioner> practitioner(UUID id) {
        return Optional.ofNullable(practitioners(List.of(id)).get(id));
    }

    /** The practitioner with this RPPS number, if listed. */
    public Optional<Practitioner> practitioner(Rpps rpps) {
        return jdbc.sql("SELECT * FROM practitioners WHERE rpps = ?")
                .param(rpps.value())
                .query(PRACTITIONER)
                .optional();
    }

    public Map<UUID, Practitioner> practitioners(Collection<UUID> ids) {
        return byIds(practitionersById, ids, "practitioners", PRACTITIONER, Practitioner::id);
    }

    /** The rows of these ids found in memory, the others read in one statement (and remembered). */
    private <T> Map<UUID, T> byIds(
            Cache<UUID, T> memory, Collection<UUID> ids, String table, RowMapper<T> mapper, Function<T, UUID> idOf) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, T> found = new java.util.HashMap<>(memory.getAllPresent(ids));
        List<UUID> missing =
                ids.stream().distinct().filter(id -> !found.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            for (T row : jdbc.sql("SELECT * FROM " + table + " WHERE id IN (:ids)")
                    .param("ids", missing)
                    .query(mapper)
                    .list()) {
                memory.put(idOf.apply(row), row);
                found.put(idOf.apply(row), row);
            }
        }
        return found;
    }

    /** The practitioners of one establishment, by last and first name. */
    public List<Practitioner> practitionersOf(UUID establishmentId) {
        return jdbc.sql("SELECT * FROM practitioners WHERE establishment_id = ? ORDER BY last_name, first_name")
                .param(establishmentId)
                .query(PRACTITIONER)
                .list();
    }

    public Optional<VisitMotive> motive(UUID id) {
        return Optional.ofNullable(byIds(motivesById, List.of(id), "visit_motives", MOTIVE, VisitMotive::id)
                .get(id));
    }

    public List<VisitMotive> motives(UUID practitionerId) {
        return jdbc.sql("SELECT * FROM visit_motives WHERE practitioner_id = ? ORDER BY label")
                .param(practitionerId)
                .query(MOTIVE)
                .list();
    }

    /** The cities that have an establishment, alphabetically (at most 500): the search form's suggestions. */
    public List<String> cities() {
        return jdbc.sql("SELECT DISTINCT city FROM establishments WHERE closed_at IS NULL ORDER BY city LIMIT 500")
                .query(String.class)
                .list();
    }

    /** An establishment leaves Carnet: its practitioners and its city are no longer found by the search. */
    public void close(UUID establishmentId, Instant at) {
        jdbc.sql("UPDATE establishments SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
                .params(at.atOffset(ZoneOffset.UTC), establishmentId)
                .update();
    }

    /**
     * The ids of the practitioners of a specialty in a city (by name, accents and case ignored) or a
     * postcode, optionally only those offering a teleconsultation motive; at most {@link #SEARCH_LIMIT}.
     */
    public List<UUID> search(Specialty specialty, @Nullable String place, boolean teleconsultationOnly) {
        StringBuilder sql =
                new StringBuilder("SELECT p.id FROM practitioners p JOIN establishments e ON e.id = p.establishment_id"
                        + " WHERE p.specialty = :specialty AND e.closed_at IS NULL");
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("specialty", specialty.name());
        if (place != null && !place.isBlank()) {
            String trimmed = place.trim();
            if (trimmed.matches("\\d{2,5}")) {
                sql.append(" AND e.postcode LIKE :postcode");
                params.put("postcode", trimmed + "%");
            } else {
                sql.append(" AND e.city_key = :city");
                params.put("city", placeKey(trimmed));
            }
        }
        if (teleconsultationOnly) {
            sql.append(" AND EXISTS (SELECT 1 FROM visit_motives m WHERE m.practitioner_id = p.id"
                    + " AND m.teleconsultation = TRUE)");
        }
        sql.append(" ORDER BY p.id LIMIT ").append(SEARCH_LIMIT);
        return jdbc.sql(sql.toString()).params(params).query(UUID.class).list();
    }

    /**
     * The area a {@link #search} for {@code place} covers, as one key: {@code "*"} for anywhere,
     * {@code "p:75"} for a postcode prefix, {@code "c:saint etienne"} for a city. Two places with one
     * key find the same practitioners.
     */
    public static String searchArea(@Nullable String place) {
        if (place == null || place.isBlank()) {
            return "*";
        }
        String trimmed = place.trim();
        return trimmed.matches("\\d{2,5}") ? "p:" + trimmed : "c:" + placeKey(trimmed);
    }

    /** The keys of every {@link #searchArea} that finds the establishment's practitioners. */
    public static List<String> searchAreas(Establishment establishment) {
        List<String> areas = new java.util.ArrayList<>(List.of("*", "c:" + placeKey(establishment.city())));
        String postcode = establishment.postcode();
        for (int length = 2; length <= postcode.length(); length++) {
            areas.add("p:" + postcode.substring(0, length));
        }
        return areas;
    }

    /** Case, accents, hyphens and apostrophes ignored: "Saint-Étienne" and "saint etienne" are one place. */
    static String placeKey(String place) {
        String stripped = Normalizer.normalize(place, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return stripped.toLowerCase(Locale.ROOT)
                .replaceAll("[-'’]", " ")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private static void requireText(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "must not be blank");
        }
        if (value.length() > max) {
            throw new InvalidRequestException(field, "must be at most " + max + " characters");
        }
    }
}
