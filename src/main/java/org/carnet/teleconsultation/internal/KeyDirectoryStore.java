package org.carnet.teleconsultation.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.KeyDirectoryEntry;
import org.carnet.teleconsultation.SubjectKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code key_directory_entries} table: inserted into, never updated nor deleted. */
@Repository
public class KeyDirectoryStore {

    private final JdbcClient jdbc;

    KeyDirectoryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends an entry; a concurrent append of the same version fails on the primary key. */
    public void insert(KeyDirectoryEntry entry, UUID publishedBy) {
        jdbc.sql("INSERT INTO key_directory_entries (subject_kind, subject_id, version, encryption_jwk,"
                        + " encryption_kid, signing_jwk, signing_kid, published_at, published_by, prev_hash, entry_hash,"
                        + " server_key_id, server_signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(entry.subjectKind().name())
                .param(entry.subjectId())
                .param(entry.version())
                .param(entry.encryptionJwk())
                .param(entry.encryptionKid())
                .param(entry.signingJwk())
                .param(entry.signingKid())
                .param(entry.publishedAt().atOffset(ZoneOffset.UTC))
                .param(publishedBy)
                .param(entry.prevHash())
                .param(entry.entryHash())
                .param(entry.serverKeyId())
                .param(entry.serverSignature())
                .update();
    }

    /** The subject's latest entry. */
    public Optional<KeyDirectoryEntry> latest(SubjectKind kind, UUID subject) {
        return jdbc.sql("SELECT * FROM key_directory_entries WHERE subject_kind = ? AND subject_id = ?"
                        + " ORDER BY version DESC LIMIT 1")
                .param(kind.name())
                .param(subject)
                .query(KeyDirectoryStore::entry)
                .optional();
    }

    /** The subject's entries from a version on, oldest first, at most {@code limit}. */
    public List<KeyDirectoryEntry> from(SubjectKind kind, UUID subject, int fromVersion, int limit) {
        return jdbc.sql("SELECT * FROM key_directory_entries WHERE subject_kind = ? AND subject_id = ?"
                        + " AND version >= ? ORDER BY version LIMIT " + limit)
                .param(kind.name())
                .param(subject)
                .param(fromVersion)
                .query(KeyDirectoryStore::entry)
                .list();
    }

    private static KeyDirectoryEntry entry(ResultSet rs, int n) throws SQLException {
        return new KeyDirectoryEntry(
                SubjectKind.valueOf(rs.getString("subject_kind")),
                rs.getObject("subject_id", UUID.class),
                rs.getInt("version"),
                rs.getString("encryption_jwk"),
                rs.getString("encryption_kid"),
                rs.getString("signing_jwk"),
                rs.getString("signing_kid"),
                rs.getObject("published_at", OffsetDateTime.class).toInstant(),
                rs.getBytes("prev_hash"),
                rs.getBytes("entry_hash"),
                rs.getString("server_key_id"),
                rs.getBytes("server_signature"));
    }
}
