package org.carnet.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.Actor;
import org.carnet.audit.AuditLog;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.shared.InvalidRequestException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The relatives a patient account books for, each field sealed under the account's key; every access audited. */
@Service
public class Relatives {

    static final String TABLE = "relatives";
    static final int MAX_RELATIVES = 20;
    static final List<String> FIELDS = List.of("first_name", "last_name", "birth_date", "relationship");

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final AuditLog audit;
    private final Clock clock;

    Relatives(JdbcClient jdbc, FieldSealer sealer, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Adds a relative to the account.
     *
     * @throws InvalidRequestException on a blank or too long name, a birth date not in the past 130 years, or too many relatives
     */
    @Transactional
    public UUID add(
            UUID accountId,
            String firstName,
            String lastName,
            LocalDate birthDate,
            Relative.Relationship relationship,
            Actor actor) {
        requireName("firstName", firstName);
        requireName("lastName", lastName);
        LocalDate today = LocalDate.now(clock);
        if (birthDate == null || birthDate.isAfter(today) || birthDate.isBefore(today.minusYears(130))) {
            throw new InvalidRequestException("birthDate", "must be a past date within the last 130 years");
        }
        if (relationship == null) {
            throw new InvalidRequestException("relationship", "is required");
        }
        int count = jdbc.sql("SELECT COUNT(*) FROM relatives WHERE patient_account_id = ?")
                .param(accountId)
                .query(Integer.class)
                .single();
        if (count >= MAX_RELATIVES) {
            throw new InvalidRequestException("relatives", "at most " + MAX_RELATIVES);
        }
        UUID id = UUID.randomUUID();
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        jdbc.sql("INSERT INTO relatives (patient_account_id, id, first_name, last_name, birth_date, relationship,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        accountId,
                        id,
                        sealer.seal(owner, column("first_name", id), firstName.strip()),
                        sealer.seal(owner, column("last_name", id), lastName.strip()),
                        sealer.seal(owner, column("birth_date", id), birthDate.toString()),
                        sealer.seal(owner, column("relationship", id), relationship.name()),
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
        record(accountId, actor, AccessEvent.Action.CREATE, "self-service");
        return id;
    }

    /** The account's relatives, opened and recorded as read for the given purpose. */
    @Transactional
    public List<Relative> list(UUID accountId, Actor actor, String purpose) {
        List<Relative> relatives = jdbc.sql(
                        "SELECT * FROM relatives WHERE patient_account_id = ? ORDER BY created_at, id")
                .param(accountId)
                .query((rs, n) -> map(accountId, rs))
                .list();
        if (!relatives.isEmpty()) {
            record(accountId, actor, AccessEvent.Action.READ, purpose);
        }
        return relatives;
    }

    /** One relative of the account; another account's relative is not found. */
    @Transactional
    public Optional<Relative> find(UUID accountId, UUID relativeId, Actor actor, String purpose) {
        Optional<Relative> relative = jdbc.sql("SELECT * FROM relatives WHERE patient_account_id = ? AND id = ?")
                .params(accountId, relativeId)
                .query((rs, n) -> map(accountId, rs))
                .optional();
        relative.ifPresent(r -> record(accountId, actor, AccessEvent.Action.READ, purpose));
        return relative;
    }

    /** Removes a relative of the account; appointments already booked for them keep their own sealed copy. */
    @Transactional
    public boolean remove(UUID accountId, UUID relativeId, Actor actor) {
        boolean removed = jdbc.sql("DELETE FROM relatives WHERE patient_account_id = ? AND id = ?")
                        .params(accountId, relativeId)
                        .update()
                == 1;
        if (removed) {
            record(accountId, actor, AccessEvent.Action.DELETE, "self-service");
        }
        return removed;
    }

    private Relative map(UUID accountId, java.sql.ResultSet rs) throws java.sql.SQLException {
        UUID id = rs.getObject("id", UUID.class);
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        return new Relative(
                id,
                sealer.open(owner, column("first_name", id), rs.getBytes("first_name")),
                sealer.open(owner, column("last_name", id), rs.getBytes("last_name")),
                LocalDate.parse(sealer.open(owner, column("birth_date", id), rs.getBytes("birth_date"))),
                Relative.Relationship.valueOf(
                        sealer.open(owner, column("relationship", id), rs.getBytes("relationship"))));
    }

    private void record(UUID accountId, Actor actor, AccessEvent.Action action, String purpose) {
        audit.record(new AccessEvent(
                actor, accountId, accountId, null, action, "relative", FIELDS, purpose, AccessEvent.Outcome.ALLOWED));
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank() || value.strip().length() > 100) {
            throw new InvalidRequestException(field, "must be 1 to 100 characters");
        }
    }

    private static SealedColumn column(String name, UUID row) {
        return new SealedColumn(TABLE, name, row);
    }
}
