package org.carnet.patients;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.patients.internal.FileIndexes;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An establishment's patient files as its staff use them: finding a file by last name or birth date
 * (blind indexes only), making a file for a patient who has no Carnet account (a phone booking), and
 * reading files by their id. Every file opened is recorded in the audit log.
 */
@Service
public class EstablishmentPatients {

    static final int MAX_RESULTS = 50;
    static final List<Field> SUMMARY_FIELDS = List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.PHONE);

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final FileIndexes indexes;
    private final AccessDecision access;
    private final Clock clock;

    EstablishmentPatients(
            JdbcClient jdbc, FieldSealer sealer, FileIndexes indexes, AccessDecision access, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.indexes = indexes;
        this.access = access;
        this.clock = clock;
    }

    /**
     * The establishment's files with this last name and/or birth date (at least one of them), by
     * exact match of their blind indexes; at most 50.
     */
    @Transactional
    public List<FileSummary> search(UUID establishmentId, String lastName, LocalDate birthDate, Actor.Person actor) {
        boolean byName = lastName != null && !lastName.isBlank();
        if (!byName && birthDate == null) {
            throw new InvalidRequestException("lastName", "a last name or a birth date is required");
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM patient_files WHERE establishment_id = :establishment");
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("establishment", establishmentId);
        if (byName) {
            sql.append(" AND last_name_index = :name");
            params.put("name", indexes.lastName(establishmentId, lastName));
        }
        if (birthDate != null) {
            sql.append(" AND birth_date_index = :birth");
            params.put("birth", indexes.birthDate(establishmentId, birthDate));
        }
        sql.append(" ORDER BY created_at LIMIT ").append(MAX_RESULTS);
        // Ids first: a file is opened only once the access decision has granted it.
        List<UUID[]> candidates = jdbc.sql(sql.toString().replace("SELECT *", "SELECT id, patient_account_id"))
                .params(params)
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
                .list();
        return candidates.stream()
                .filter(ids -> access.decide(request(
                                actor,
                                PatientRef.of(ids[1], ids[0]),
                                establishmentId,
                                Action.READ,
                                SUMMARY_FIELDS,
                                Purpose.PHONE_BOOKING))
                        .allowsAll(SUMMARY_FIELDS))
                .map(ids -> load(establishmentId, ids[0]).orElseThrow())
                .toList();
    }

    /** Makes a file for a patient who has no Carnet account, in the caller's transaction if any. */
    @Transactional
    public UUID create(
            UUID establishmentId,
            String firstName,
            String lastName,
            LocalDate birthDate,
            Sex sex,
            String phone,
            String email,
            Actor.Person actor) {
        LocalDate today = LocalDate.now(clock);
        if (birthDate == null || birthDate.isAfter(today) || birthDate.isBefore(today.minusYears(130))) {
            throw new InvalidRequestException("birthDate", "must be a past date within the last 130 years");
        }
        UUID id = UUID.randomUUID();
        access.require(request(
                actor,
                PatientRef.file(id),
                establishmentId,
                Action.CREATE,
                PatientFiles.FILE_FIELDS,
                Purpose.PHONE_BOOKING));
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        jdbc.sql("INSERT INTO patient_files (establishment_id, id, patient_account_id, first_name, last_name,"
                        + " birth_date, sex, phone, email, nir, created_at, last_name_index, birth_date_index)"
                        + " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)")
                .params(
                        establishmentId,
                        id,
                        sealer.seal(owner, column("first_name", id), firstName.strip()),
                        sealer.seal(owner, column("last_name", id), lastName.strip()),
                        sealer.seal(owner, column("birth_date", id), birthDate.toString()),
                        sealer.seal(owner, column("sex", id), sex.name()),
                        sealer.seal(owner, column("phone", id), phone.strip()),
                        sealer.seal(owner, column("email", id), email == null ? "" : email.strip()),
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                        indexes.lastName(establishmentId, lastName),
                        indexes.birthDate(establishmentId, birthDate))
                .update();
        return id;
    }

    /**
     * One file of the establishment, if the access decision allows the actor; recorded either way.
     *
     * @throws org.carnet.shared.NotFoundException when the actor may not see it
     */
    @Transactional
    public Optional<FileSummary> file(UUID establishmentId, UUID fileId, Actor.Person actor, Purpose purpose) {
        Optional<PatientRef> patient = jdbc.sql(
                        "SELECT patient_account_id FROM patient_files" + " WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, fileId)
                .query((rs, n) -> PatientRef.of(rs.getObject(1, UUID.class), fileId))
                .optional();
        if (patient.isEmpty()) {
            return Optional.empty();
        }
        access.require(request(actor, patient.get(), establishmentId, Action.READ, SUMMARY_FIELDS, purpose));
        return load(establishmentId, fileId);
    }

    /**
     * The names ("first last") on these files of the establishment, by file id, for the files the
     * access decision grants the actor; each decision recorded.
     */
    @Transactional
    public Map<UUID, String> names(
            UUID establishmentId, Collection<UUID> fileIds, Actor.Person actor, Purpose purpose) {
        if (fileIds.isEmpty()) {
            return Map.of();
        }
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        // One read of the sealed names; each is opened only once the access decision has granted it.
        record Sealed(UUID id, UUID account, byte[] firstName, byte[] lastName) {}
        List<Sealed> files = jdbc.sql("SELECT id, patient_account_id, first_name, last_name FROM patient_files"
                        + " WHERE establishment_id = :establishment AND id IN (:files)")
                .param("establishment", establishmentId)
                .param("files", List.copyOf(new LinkedHashSet<>(fileIds)))
                .query((rs, n) -> new Sealed(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getBytes("first_name"),
                        rs.getBytes("last_name")))
                .list();
        Map<UUID, String> names = new LinkedHashMap<>();
        for (Sealed file : files) {
            boolean granted = access.decide(request(
                            actor,
                            PatientRef.of(file.account(), file.id()),
                            establishmentId,
                            Action.READ,
                            PatientFiles.NAME_FIELDS,
                            purpose))
                    .allowsAll(PatientFiles.NAME_FIELDS);
            if (granted) {
                names.put(
                        file.id(),
                        sealer.open(owner, column("first_name", file.id()), file.firstName())
                                + " "
                                + sealer.open(owner, column("last_name", file.id()), file.lastName()));
            }
        }
        return names;
    }

    private Optional<FileSummary> load(UUID establishmentId, UUID fileId) {
        return jdbc.sql("SELECT * FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, fileId)
                .query((rs, n) -> summary(establishmentId, rs))
                .optional();
    }

    private FileSummary summary(UUID establishmentId, java.sql.ResultSet rs) throws java.sql.SQLException {
        UUID id = rs.getObject("id", UUID.class);
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        return new FileSummary(
                id,
                rs.getObject("patient_account_id", UUID.class),
                sealer.open(owner, column("first_name", id), rs.getBytes("first_name")),
                sealer.open(owner, column("last_name", id), rs.getBytes("last_name")),
                LocalDate.parse(sealer.open(owner, column("birth_date", id), rs.getBytes("birth_date"))),
                sealer.open(owner, column("phone", id), rs.getBytes("phone")));
    }

    /**
     * An access to a file: the patient is the account when there is one, else (a patient known only
     * to the establishment, booked by phone) the file itself.
     */
    private static AccessRequest request(
            Actor.Person actor,
            PatientRef patient,
            UUID establishmentId,
            Action action,
            List<Field> fields,
            Purpose purpose) {
        return new AccessRequest(
                actor, patient, EstablishmentId.of(establishmentId), action, Resource.PATIENT_FILE, fields, purpose);
    }

    private static SealedColumn column(String name, UUID row) {
        return new SealedColumn(PatientFiles.TABLE, name, row);
    }
}
