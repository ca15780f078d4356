package org.carnet.teleconsultation.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.AccountDevice;
import org.carnet.teleconsultation.AccountKeyWrap;
import org.carnet.teleconsultation.SubjectKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code account_devices} and {@code account_key_wraps} tables: a person's devices and their account
 * key, wrapped. A wrap is inserted once and never updated; a device only gains its {@code linked_at}, and its
 * {@code removed_at} when its person removes it: a removed device's row stays, so that its key is refused from
 * then on, and the reads below see only the devices not removed.
 */
@Repository
public class AccountKeyStore {

    private final JdbcClient jdbc;

    AccountKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Registers a device; a second registration of the same key fails on the primary key. */
    public void insertDevice(AccountDevice device) {
        jdbc.sql("INSERT INTO account_devices (subject_kind, subject_id, device_kid, device_jwk, registered_at,"
                        + " linked_at) VALUES (?, ?, ?, ?, ?, ?)")
                .param(device.subjectKind().name())
                .param(device.subjectId())
                .param(device.deviceKid())
                .param(device.deviceJwk())
                .param(utc(device.registeredAt()))
                .param(device.linkedAt() == null ? null : utc(device.linkedAt()))
                .update();
    }

    /** Marks a device linked (the first wrap to it stored); a linked device keeps its first time. */
    public void linked(SubjectKind kind, UUID subject, String deviceKid, Instant at) {
        jdbc.sql("UPDATE account_devices SET linked_at = ? WHERE subject_kind = ? AND subject_id = ?"
                        + " AND device_kid = ? AND linked_at IS NULL")
                .param(utc(at))
                .param(kind.name())
                .param(subject)
                .param(deviceKid)
                .update();
    }

    /** A device of the subject's that is not removed. */
    public Optional<AccountDevice> device(SubjectKind kind, UUID subject, String deviceKid) {
        return jdbc.sql("SELECT * FROM account_devices WHERE subject_kind = ? AND subject_id = ? AND device_kid = ?"
                        + " AND removed_at IS NULL")
                .param(kind.name())
                .param(subject)
                .param(deviceKid)
                .query(AccountKeyStore::device)
                .optional();
    }

    /** The subject's devices, oldest first (at most 100: a person does not have more). */
    public List<AccountDevice> devices(SubjectKind kind, UUID subject) {
        return jdbc.sql("SELECT * FROM account_devices WHERE subject_kind = ? AND subject_id = ?"
                        + " AND removed_at IS NULL ORDER BY registered_at, device_kid LIMIT 100")
                .param(kind.name())
                .param(subject)
                .query(AccountKeyStore::device)
                .list();
    }

    public int deviceCount(SubjectKind kind, UUID subject) {
        return jdbc.sql("SELECT COUNT(*) FROM account_devices WHERE subject_kind = ? AND subject_id = ?"
                        + " AND removed_at IS NULL")
                .param(kind.name())
                .param(subject)
                .query(Integer.class)
                .single();
    }

    /** Whether the subject removed a device with this key: its key is refused from then on. */
    public boolean removed(SubjectKind kind, UUID subject, String deviceKid) {
        return jdbc.sql("SELECT COUNT(*) FROM account_devices WHERE subject_kind = ? AND subject_id = ?"
                                + " AND device_kid = ? AND removed_at IS NOT NULL")
                        .param(kind.name())
                        .param(subject)
                        .param(deviceKid)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** Removes a device: its wraps deleted, the device marked removed (kept, so that its key stays refused). */
    public void remove(SubjectKind kind, UUID subject, String deviceKid, Instant at) {
        deleteWraps(kind, subject, "device:" + deviceKid);
        jdbc.sql("UPDATE account_devices SET removed_at = ? WHERE subject_kind = ? AND subject_id = ?"
                        + " AND device_kid = ? AND removed_at IS NULL")
                .param(utc(at))
                .param(kind.name())
                .param(subject)
                .param(deviceKid)
                .update();
    }

    /** Deletes the wraps to one recipient ({@code device:<kid>} or {@code recovery}). */
    public void deleteWraps(SubjectKind kind, UUID subject, String recipient) {
        jdbc.sql("DELETE FROM account_key_wraps WHERE subject_kind = ? AND subject_id = ? AND recipient = ?")
                .param(kind.name())
                .param(subject)
                .param(recipient)
                .update();
    }

    /** Stores a wrap; a second wrap of the same account key to the same recipient fails on the primary key. */
    public void insertWrap(AccountKeyWrap wrap) {
        jdbc.sql("INSERT INTO account_key_wraps (subject_kind, subject_id, account_kid, recipient, envelope,"
                        + " stored_at) VALUES (?, ?, ?, ?, ?, ?)")
                .param(wrap.subjectKind().name())
                .param(wrap.subjectId())
                .param(wrap.accountKid())
                .param(wrap.recipient())
                .param(wrap.envelope().json())
                .param(utc(wrap.storedAt()))
                .update();
    }

    /** The wraps to one recipient ({@code device:<kid>} or {@code recovery}), newest first. */
    public List<AccountKeyWrap> wraps(SubjectKind kind, UUID subject, String recipient) {
        return jdbc.sql("SELECT * FROM account_key_wraps WHERE subject_kind = ? AND subject_id = ? AND recipient = ?"
                        + " ORDER BY stored_at DESC, account_kid LIMIT 100")
                .param(kind.name())
                .param(subject)
                .param(recipient)
                .query(AccountKeyStore::wrap)
                .list();
    }

    /** Whether the subject's directory ever published this encryption kid (a wrap may only be of one of those). */
    public boolean published(SubjectKind kind, UUID subject, String encryptionKid) {
        return jdbc.sql("SELECT COUNT(*) FROM key_directory_entries WHERE subject_kind = ? AND subject_id = ?"
                                + " AND encryption_kid = ?")
                        .param(kind.name())
                        .param(subject)
                        .param(encryptionKid)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static AccountDevice device(ResultSet rs, int n) throws SQLException {
        OffsetDateTime linked = rs.getObject("linked_at", OffsetDateTime.class);
        return new AccountDevice(
                SubjectKind.valueOf(rs.getString("subject_kind")),
                rs.getObject("subject_id", UUID.class),
                rs.getString("device_kid"),
                rs.getString("device_jwk"),
                rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                linked == null ? null : linked.toInstant());
    }

    private static AccountKeyWrap wrap(ResultSet rs, int n) throws SQLException {
        return new AccountKeyWrap(
                SubjectKind.valueOf(rs.getString("subject_kind")),
                rs.getObject("subject_id", UUID.class),
                rs.getString("account_kid"),
                rs.getString("recipient"),
                ConsultationStore.parseEnvelope(rs.getString("envelope")),
                rs.getObject("stored_at", OffsetDateTime.class).toInstant());
    }
}
