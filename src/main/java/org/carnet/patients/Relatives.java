package org.carnet.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The relatives a patient account books for, each field sealed under the account's key; every access audited. */
@Service
public class Relatives {

    static final String TABLE = "relatives";
    /** A relative's identity, sealed under the booking account's key. */
    static final SealedTable SEALED = SealedTable.of(
            TABLE,
            "patient_account_id",
            KeyOwner.Type.PATIENT_ACCOUNT,
            "first_name",
            "last_name",
            "birth_date",
            "relationship");

    static final int MAX_RELATIVES = 20;
    static final List<Field> FIELDS = List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.RELATIONSHIP);

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final AccessDecision access;
    private final Clock clock;

    Relatives(JdbcClient jdbc, FieldSealer sealer, AccessDecision access, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.access = access;
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
        record(accountId, actor, Action.CREATE, Purpose.SELF_SERVICE);
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
        return id;
    }

    /** The account's relatives, opened and recorded as read for the given purpose. */
    @Transactional
    public List<Relative> list(UUID accountId, Actor actor, Purpose purpose) {
        List<Stored> stored = jdbc.sql("SELECT * FROM relatives WHERE patient_account_id = ? ORDER BY created_at, id")
                .param(accountId)
                .query((rs, n) -> Stored.of(rs))
                .list();
        if (stored.isEmpty()) {
            return List.of();
        }
        record(accountId, actor, Action.READ, purpose);
        return stored.stream().map(row -> open(accountId, row)).toList();
    }

    /** One relative of the account; another account's relative is not found. */
    @Transactional
    public Optional<Relative> find(UUID accountId, UUID relativeId, Actor actor, Purpose purpose) {
        Optional<Stored> stored = jdbc.sql("SELECT * FROM relatives WHERE patient_account_id = ? AND id = ?")
                .params(accountId, relativeId)
                .query((rs, n) -> Stored.of(rs))
                .optional();
        stored.ifPresent(row -> record(accountId, actor, Action.READ, purpose));
        return stored.map(row -> open(accountId, row));
    }

    /** Removes a relative of the account; appointments already booked for them keep their own sealed copy. */
    @Transactional
    public boolean remove(UUID accountId, UUID relativeId, Actor actor) {
        boolean removed = jdbc.sql("DELETE FROM relatives WHERE patient_account_id = ? AND id = ?")
                        .params(accountId, relativeId)
                        .update()
                == 1;
        if (removed) {
            record(accountId, actor, Action.DELETE, Purpose.SELF_SERVICE);
        }
        return removed;
    }

    /** A row as stored, still sealed: opened only once the access is granted. */
    private record Stored(UUID id, byte[] firstName, byte[] lastName, byte[] birthDate, byte[] relationship) {
        static Stored of(java.sql.ResultSet rs) throws java.sql.SQLException {
            return new Stored(
                    rs.getObject("id", UUID.class),
                    rs.getBytes("first_name"),
                    rs.getBytes("last_name"),
                    rs.getBytes("birth_date"),
                    rs.getBytes("relationship"));
        }
    }

    private Relative open(UUID accountId, Stored row) {
        UUID id = row.id();
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        return new Relative(
                id,
                sealer.open(owner, column("first_name", id), row.firstName()),
                sealer.open(owner, column("last_name", id), row.lastName()),
                LocalDate.parse(sealer.open(owner, column("birth_date", id), row.birthDate())),
                Relative.Relationship.valueOf(sealer.open(owner, column("relationship", id), row.relationship())));
    }

    private void record(UUID accountId, Actor actor, Action action, Purpose purpose) {
        access.require(AccessRequest.toAccount(
                actor, PatientRef.account(accountId), action, Resource.RELATIVE, FIELDS, purpose));
    }

    private static void requireName(String field, String value) {
        if (value == null || value.isBlank() || value.strip().length() > 100) {
            throw new InvalidRequestException(field, "must be 1 to 100 characters");
        }
    }

    private static SealedColumn column(String name, UUID row) {
        return SEALED.column(name, row);
    }
}
