package org.carnet.patients;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.Actor;
import org.carnet.audit.AuditLog;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Establishments' patient files. A file is a copy of the account's identity and contact sealed
 * under the establishment's key, so that the establishment can later leave (export, then
 * crypto-shred) without touching the account or other establishments' files.
 */
@Service
public class PatientFiles {

    static final String TABLE = "patient_files";
    static final List<String> NAME_FIELDS = List.of("first_name", "last_name");

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final PatientAccounts accounts;
    private final FileIndexes indexes;
    private final AuditLog audit;
    private final Clock clock;

    PatientFiles(
            JdbcClient jdbc,
            FieldSealer sealer,
            PatientAccounts accounts,
            FileIndexes indexes,
            AuditLog audit,
            Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.accounts = accounts;
        this.indexes = indexes;
        this.audit = audit;
        this.clock = clock;
    }

    /** The establishment's file for this patient, created from the account if it has none yet. */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID ensureFile(UUID establishmentId, UUID patientAccountId, Actor actor) {
        Optional<UUID> existing = find(establishmentId, patientAccountId);
        if (existing.isPresent()) {
            return existing.get();
        }
        PatientProfile profile = accounts.load(patientAccountId).orElseThrow(() -> new NotFoundException("Patient"));
        UUID id = UUID.randomUUID();
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        // Two first bookings at once: the first insert wins, the other finds the file it created.
        int inserted = jdbc.sql("INSERT INTO patient_files (establishment_id, id, patient_account_id, first_name,"
                        + " last_name, birth_date, sex, phone, email, nir, created_at, last_name_index, birth_date_index)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(
                        establishmentId,
                        id,
                        patientAccountId,
                        sealer.seal(owner, column("first_name", id), profile.firstName()),
                        sealer.seal(owner, column("last_name", id), profile.lastName()),
                        sealer.seal(
                                owner,
                                column("birth_date", id),
                                profile.birthDate().toString()),
                        sealer.seal(owner, column("sex", id), profile.sex().name()),
                        sealer.seal(owner, column("phone", id), profile.phone()),
                        sealer.seal(owner, column("email", id), profile.email()),
                        profile.nir() == null
                                ? null
                                : sealer.seal(
                                        owner, column("nir", id), profile.nir().value()),
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                        indexes.lastName(establishmentId, profile.lastName()),
                        indexes.birthDate(establishmentId, profile.birthDate()))
                .update();
        if (inserted == 0) {
            return find(establishmentId, patientAccountId).orElseThrow();
        }
        audit.record(new AccessEvent(
                actor,
                patientAccountId,
                patientAccountId,
                establishmentId,
                AccessEvent.Action.CREATE,
                "patient-file",
                PatientAccounts.IDENTITY_FIELDS,
                "booking",
                AccessEvent.Outcome.ALLOWED));
        return id;
    }

    /**
     * The names ("first last") on the establishment's files of these patients, by patient account,
     * each opening recorded as a read of the two fields for the given purpose. Patients without a
     * file there are left out.
     */
    @Transactional
    public Map<UUID, String> displayNames(
            UUID establishmentId, Collection<UUID> patientAccountIds, Actor actor, String purpose) {
        if (patientAccountIds.isEmpty()) {
            return Map.of();
        }
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        Map<UUID, String> names = new LinkedHashMap<>();
        jdbc.sql("SELECT id, patient_account_id, first_name, last_name FROM patient_files"
                        + " WHERE establishment_id = :establishment AND patient_account_id IN (:patients)")
                .param("establishment", establishmentId)
                .param("patients", List.copyOf(new LinkedHashSet<>(patientAccountIds)))
                .query(rs -> {
                    UUID fileId = rs.getObject("id", UUID.class);
                    names.put(
                            rs.getObject("patient_account_id", UUID.class),
                            sealer.open(owner, column("first_name", fileId), rs.getBytes("first_name"))
                                    + " "
                                    + sealer.open(owner, column("last_name", fileId), rs.getBytes("last_name")));
                });
        names.keySet()
                .forEach(patientId -> audit.record(new AccessEvent(
                        actor,
                        null,
                        patientId,
                        establishmentId,
                        AccessEvent.Action.READ,
                        "patient-file",
                        NAME_FIELDS,
                        purpose,
                        AccessEvent.Outcome.ALLOWED)));
        return names;
    }

    private Optional<UUID> find(UUID establishmentId, UUID patientAccountId) {
        return jdbc.sql("SELECT id FROM patient_files WHERE establishment_id = ? AND patient_account_id = ?")
                .params(establishmentId, patientAccountId)
                .query(UUID.class)
                .optional();
    }

    private static SealedColumn column(String name, UUID row) {
        return new SealedColumn(TABLE, name, row);
    }
}
