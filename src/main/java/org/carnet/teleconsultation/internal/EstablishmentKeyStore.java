package org.carnet.teleconsultation.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.carnet.teleconsultation.EstablishmentKeyWrap;
import org.carnet.teleconsultation.EstablishmentKeyWrap.RecipientKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code establishment_key_wraps} table: an establishment's key versions, wrapped; inserted once, never updated. */
@Repository
public class EstablishmentKeyStore {

    private final JdbcClient jdbc;

    EstablishmentKeyStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a wrap; a second wrap of the same version to the same recipient fails on the primary key. */
    public void insert(EstablishmentKeyWrap wrap, UUID storedBy) {
        jdbc.sql("INSERT INTO establishment_key_wraps (establishment_id, key_version, recipient_kind, recipient_id,"
                        + " recipient_key_version, envelope, stored_at, stored_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .param(wrap.establishmentId())
                .param(wrap.keyVersion())
                .param(wrap.recipientKind().name())
                .param(wrap.recipientId())
                .param(wrap.recipientKeyVersion())
                .param(wrap.envelope().json())
                .param(wrap.storedAt().atOffset(ZoneOffset.UTC))
                .param(storedBy)
                .update();
    }

    /** The wraps to one recipient (the establishment itself for the recovery code), newest version first. */
    public List<EstablishmentKeyWrap> to(UUID establishmentId, RecipientKind kind, UUID recipientId) {
        return jdbc.sql("SELECT * FROM establishment_key_wraps WHERE establishment_id = ? AND recipient_id = ?"
                        + " AND recipient_kind = ? ORDER BY key_version DESC LIMIT 1000")
                .param(establishmentId)
                .param(recipientId)
                .param(kind.name())
                .query(EstablishmentKeyStore::wrap)
                .list();
    }

    /** Every wrap of the establishment's key, oldest version first (what the administrator's page lists). */
    public List<EstablishmentKeyWrap> all(UUID establishmentId) {
        return jdbc.sql("SELECT * FROM establishment_key_wraps WHERE establishment_id = ?"
                        + " ORDER BY key_version, recipient_kind, recipient_id LIMIT 10000")
                .param(establishmentId)
                .query(EstablishmentKeyStore::wrap)
                .list();
    }

    private static EstablishmentKeyWrap wrap(ResultSet rs, int n) throws SQLException {
        return new EstablishmentKeyWrap(
                rs.getObject("establishment_id", UUID.class),
                rs.getInt("key_version"),
                RecipientKind.valueOf(rs.getString("recipient_kind")),
                rs.getObject("recipient_id", UUID.class),
                rs.getObject("recipient_key_version", Integer.class),
                ConsultationStore.parseEnvelope(rs.getString("envelope")),
                rs.getObject("stored_at", OffsetDateTime.class).toInstant());
    }
}
