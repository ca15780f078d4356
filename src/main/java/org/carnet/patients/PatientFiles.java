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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.access.EstablishmentFiles;
import org.carnet.access.Grant;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.patients.internal.FileIndexes;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Establishments' patient files, the one owner of {@code patient_files}. A file is a copy of the
 * account's identity and contact sealed under the establishment's key (made at the first booking
 * there), or for a patient who has no Carnet account, what the practice typed over the phone; so that
 * the establishment can later leave (export, then crypto-shred) without touching the account or
 * other establishments' files. Staff find a file by last name or birth date (blind indexes only);
 * every file opened is decided and recorded by the access decision.
 */
@Service
public class PatientFiles implements EstablishmentFiles {

    static final String TABLE = "patient_files";
    /** An establishment's copy of a patient's identity and contact, sealed under the establishment's key. */
    static final SealedTable SEALED = SealedTable.of(
            TABLE,
            "establishment_id",
            KeyOwner.Type.ESTABLISHMENT,
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "phone",
            "email",
            "nir",
            // The account the file is for (none for a patient known only to the practice): never in clear.
            "patient_account");

    static final int MAX_RESULTS = 50;
    static final List<Field> SUMMARY_FIELDS = List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.PHONE);
    static final List<Field> NAME_FIELDS = List.of(Field.FIRST_NAME, Field.LAST_NAME);

    /** The fields of a file a practitioner's or staff's file page shows. */
    public static final List<Field> FILE_FIELDS =
            List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.SEX, Field.PHONE, Field.EMAIL);

    /**
     * An establishment's file of a patient, with only the fields an access decision granted; the
     * others are {@code null}. {@code nirToCheck}: another account claims the same NIR, so staff check
     * an identity document before relying on it. Redacted {@code toString}.
     */
    public record FileView(
            UUID patientId,
            String firstName,
            String lastName,
            String birthDate,
            String sex,
            String phone,
            String email,
            boolean nirToCheck) {

        @Override
        public String toString() {
            return "FileView[patientId=" + patientId + ", personal fields redacted]";
        }
    }

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final PatientAccounts accounts;
    private final FileIndexes indexes;
    private final FileAccounts fileAccounts;
    private final AccessDecision access;
    private final Clock clock;

    PatientFiles(
            JdbcClient jdbc,
            FieldSealer sealer,
            PatientAccounts accounts,
            FileIndexes indexes,
            FileAccounts fileAccounts,
            AccessDecision access,
            Clock clock) {
        this.access = access;
        this.fileAccounts = fileAccounts;
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.accounts = accounts;
        this.indexes = indexes;
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
        // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
        int inserted = jdbc.sql("INSERT INTO patient_files (establishment_id, id, account_index, patient_account,"
                        + " first_name, last_name, birth_date, sex, phone, email, nir, created_at, last_name_index,"
                        + " birth_date_index, nir_to_check) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " (SELECT nir_claimed_twice FROM patient_accounts WHERE id = ?)) ON CONFLICT DO NOTHING")
                .param(establishmentId)
                .param(id)
                .param(fileAccounts.index(establishmentId, patientAccountId))
                .param(fileAccounts.sealedAccount(establishmentId, id, patientAccountId))
                .param(sealer.seal(owner, column("first_name", id), profile.firstName()))
                .param(sealer.seal(owner, column("last_name", id), profile.lastName()))
                .param(sealer.seal(
                        owner, column("birth_date", id), profile.birthDate().toString()))
                .param(sealer.seal(owner, column("sex", id), profile.sex().name()))
                .param(sealer.seal(owner, column("phone", id), profile.phone()))
                .param(sealer.seal(owner, column("email", id), profile.email()))
                .param(
                        profile.nir() == null
                                ? null
                                : sealer.seal(
                                        owner, column("nir", id), profile.nir().value()))
                .param(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .param(indexes.lastName(establishmentId, profile.lastName()))
                .param(indexes.birthDate(establishmentId, profile.birthDate()))
                .param(patientAccountId)
                .update();
        if (inserted == 0) {
            return find(establishmentId, patientAccountId).orElseThrow();
        }
        fileAccounts.link(patientAccountId, new FileAccounts.FileRef(establishmentId, id));
        access.require(new AccessRequest(
                actor,
                PatientRef.account(patientAccountId),
                EstablishmentId.of(establishmentId),
                Action.CREATE,
                Resource.PATIENT_FILE,
                PatientAccounts.IDENTITY_FIELDS,
                Purpose.BOOKING));
        return id;
    }

    /**
     * The names ("first last") on the establishment's files of these patients, by patient account,
     * each opening recorded as a read of the two fields for the given purpose. Patients without a
     * file there are left out.
     */
    @Transactional
    public Map<UUID, String> displayNames(
            UUID establishmentId, Collection<UUID> patientAccountIds, Actor actor, Purpose purpose) {
        if (patientAccountIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> allowed = new LinkedHashSet<>(patientAccountIds)
                .stream()
                        .filter(patientId -> access.decide(new AccessRequest(
                                        actor,
                                        PatientRef.account(patientId),
                                        EstablishmentId.of(establishmentId),
                                        Action.READ,
                                        Resource.PATIENT_FILE,
                                        NAME_FIELDS,
                                        purpose))
                                .allowsAll(NAME_FIELDS))
                        .toList();
        Map<UUID, String> names = new LinkedHashMap<>();
        if (allowed.isEmpty()) {
            return names;
        }
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        Map<java.nio.ByteBuffer, UUID> byIndex = new java.util.HashMap<>();
        for (UUID patient : allowed) {
            byIndex.put(java.nio.ByteBuffer.wrap(fileAccounts.index(establishmentId, patient)), patient);
        }
        jdbc.sql("SELECT id, account_index, first_name, last_name FROM patient_files"
                        + " WHERE establishment_id = :establishment AND account_index IN (:patients)")
                .param("establishment", establishmentId)
                .param(
                        "patients",
                        byIndex.keySet().stream()
                                .map(java.nio.ByteBuffer::array)
                                .toList())
                .query(rs -> {
                    UUID fileId = rs.getObject("id", UUID.class);
                    names.put(
                            byIndex.get(java.nio.ByteBuffer.wrap(rs.getBytes("account_index"))),
                            sealer.open(owner, column("first_name", fileId), rs.getBytes("first_name"))
                                    + " "
                                    + sealer.open(owner, column("last_name", fileId), rs.getBytes("last_name")));
                });
        return names;
    }

    /** Whether the establishment has a file for this patient (ids only, nothing personal is opened). */
    public boolean exists(UUID establishmentId, UUID patientAccountId) {
        return find(establishmentId, patientAccountId).isPresent();
    }

    /** A file row as the grant lets it be seen: the fields it allows opened, the others null. */
    private FileView fileView(
            java.sql.ResultSet rs, KeyOwner owner, UUID fileId, Grant grant, UUID shownId, boolean nirToCheck) {
        java.util.function.Function<Field, String> field = name -> {
            try {
                return grant.allows(name)
                        ? sealer.open(owner, column(name.code(), fileId), rs.getBytes(name.code()))
                        : null;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        return new FileView(
                shownId,
                field.apply(Field.FIRST_NAME),
                field.apply(Field.LAST_NAME),
                field.apply(Field.BIRTH_DATE),
                field.apply(Field.SEX),
                field.apply(Field.PHONE),
                field.apply(Field.EMAIL),
                nirToCheck);
    }

    /**
     * Opens the granted fields of the establishment's file of a patient. The grant comes from the
     * access decision, which has already recorded the access.
     */
    public Optional<FileView> open(UUID establishmentId, UUID patientAccountId, Grant grant) {
        grant.requireFor(PatientRef.account(patientAccountId), EstablishmentId.of(establishmentId));
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        return jdbc.sql("SELECT * FROM patient_files WHERE establishment_id = ? AND account_index = ?")
                .params(establishmentId, fileAccounts.index(establishmentId, patientAccountId))
                .query((rs, n) -> fileView(
                        rs,
                        owner,
                        rs.getObject("id", UUID.class),
                        grant,
                        patientAccountId,
                        rs.getBoolean("nir_to_check")))
                .optional();
    }

    /**
     * A patient's own file at one establishment, for their copy of their data: {@code file} is
     * {@code null} when the establishment's keys were destroyed (it left Carnet) and nothing of it can
     * be read any more.
     */
    public record OwnFile(
            UUID establishmentId,
            UUID fileId,
            java.time.Instant createdAt,
            @Nullable FileView file) {}

    /**
     * Every establishment's file of this patient account, each opening decided and recorded by the
     * access decision for the given purpose; oldest first.
     */
    @Transactional
    public List<OwnFile> filesOf(UUID patientAccountId, Actor.Person actor, Purpose purpose) {
        record Row(UUID establishmentId, UUID fileId, java.time.Instant createdAt) {}
        List<Row> rows = fileAccounts.filesOf(patientAccountId).stream()
                .flatMap(file -> jdbc
                        .sql("SELECT created_at FROM patient_files WHERE establishment_id = ? AND id = ?")
                        .params(file.establishmentId(), file.fileId())
                        .query((rs, n) -> new Row(
                                file.establishmentId(),
                                file.fileId(),
                                rs.getObject(1, OffsetDateTime.class).toInstant()))
                        .optional()
                        .stream())
                .sorted(java.util.Comparator.comparing(Row::createdAt).thenComparing(Row::fileId))
                .toList();
        return rows.stream()
                .map(row -> {
                    Grant grant = access.require(request(
                            actor,
                            PatientRef.account(patientAccountId),
                            row.establishmentId(),
                            Action.READ,
                            FILE_FIELDS,
                            purpose));
                    FileView view;
                    try {
                        view = open(row.establishmentId(), patientAccountId, grant)
                                .orElse(null);
                    } catch (org.carnet.crypto.KeyShreddedException e) {
                        view = null;
                    }
                    return new OwnFile(row.establishmentId(), row.fileId(), row.createdAt(), view);
                })
                .toList();
    }

    /**
     * The patient's erasure, in the caller's transaction: deletes the establishments' copies of the
     * account (their files) except at the establishments named as keeping a medical record, each
     * deletion recorded. A file is sealed under its establishment's key, shared with the establishment's
     * other files, so it goes by deletion rather than by destroying a key (see docs/privacy.md).
     *
     * @return the establishments whose copy was deleted
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public java.util.Set<UUID> eraseCopies(Actor.Person patient, java.util.Set<UUID> retainedAt) {
        UUID account = patient.subjectId();
        java.util.Set<UUID> erased = new LinkedHashSet<>();
        for (FileAccounts.FileRef file : fileAccounts.filesOf(account)) {
            if (retainedAt.contains(file.establishmentId())) {
                continue;
            }
            access.require(request(
                    patient,
                    PatientRef.account(account),
                    file.establishmentId(),
                    Action.DELETE,
                    PatientAccounts.IDENTITY_FIELDS,
                    Purpose.ERASURE));
            jdbc.sql("DELETE FROM patient_files WHERE establishment_id = ? AND id = ?")
                    .params(file.establishmentId(), file.fileId())
                    .update();
            fileAccounts.unlink(account, file);
            erased.add(file.establishmentId());
        }
        return erased;
    }

    /** Whose file this is (the account, or the file itself for a patient without one), if it exists: ids only. */
    public Optional<PatientRef> patientOf(UUID establishmentId, UUID fileId) {
        return jdbc.sql("SELECT patient_account FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, fileId)
                .query((rs, n) ->
                        PatientRef.of(fileAccounts.accountOf(establishmentId, fileId, rs.getBytes(1)), fileId))
                .optional();
    }

    /**
     * The establishment's file of the patient the access log names by this id (their account's, or, for a
     * patient known only to the practice, the file's own): ids only.
     */
    public Optional<UUID> fileNamed(UUID establishmentId, UUID loggedPatientId) {
        return jdbc.sql("SELECT id FROM patient_files WHERE establishment_id = ? AND (id = ? OR account_index = ?)")
                .params(establishmentId, loggedPatientId, fileAccounts.index(establishmentId, loggedPatientId))
                .query(UUID.class)
                .optional();
    }

    /**
     * A file of a third-party program's establishment, with only the fields the access decision grants
     * it of those wanted (the others {@code null}; {@link FileView#patientId()} is the file's id); empty
     * when the establishment has no such file or nothing is granted. Decided and recorded either way.
     */
    @Transactional
    public Optional<FileView> forProgram(Actor.Client program, UUID fileId, List<Field> wanted, Purpose purpose) {
        UUID establishmentId = program.establishment().value();
        Optional<PatientRef> patient = patientOf(establishmentId, fileId);
        if (patient.isEmpty()) {
            return Optional.empty();
        }
        Grant grant = access.decide(new AccessRequest(
                program, patient.get(), program.establishment(), Action.READ, Resource.PATIENT_FILE, wanted, purpose));
        if (!grant.any()) {
            return Optional.empty();
        }
        grant.requireFor(patient.get(), program.establishment());
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        return jdbc.sql("SELECT * FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, fileId)
                .query((rs, n) -> fileView(rs, owner, fileId, grant, fileId, false))
                .optional();
    }

    @Override
    public boolean hasFile(EstablishmentId establishment, PatientRef patient) {
        if (patient instanceof PatientRef.Account account) {
            return find(establishment.value(), account.id()).isPresent();
        }
        return jdbc.sql("SELECT 1 FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(establishment.value(), patient.id())
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    private Optional<UUID> find(UUID establishmentId, UUID patientAccountId) {
        return fileAccounts.fileOf(establishmentId, patientAccountId);
    }

    /**
     * The establishment's files with this last name and/or birth date (at least one of them), by
     * exact match of their blind indexes; at most 50.
     */
    @Transactional
    public List<FileSummary> search(
            UUID establishmentId, @Nullable String lastName, @Nullable LocalDate birthDate, Actor.Person actor) {
        boolean byName = lastName != null && !lastName.isBlank();
        if (!byName && birthDate == null) {
            throw new InvalidRequestException("lastName", "a last name or a birth date is required");
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM patient_files WHERE establishment_id = :establishment");
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("establishment", establishmentId);
        if (byName) {
            sql.append(" AND last_name_index IN (:name)");
            params.put("name", indexes.lastNameMatches(establishmentId, Objects.requireNonNull(lastName, "byName")));
        }
        if (birthDate != null) {
            sql.append(" AND birth_date_index IN (:birth)");
            params.put("birth", indexes.birthDateMatches(establishmentId, birthDate));
        }
        sql.append(" ORDER BY created_at LIMIT ").append(MAX_RESULTS);
        // Ids first: a file is opened only once the access decision has granted it.
        List<UUID[]> candidates = jdbc.sql(sql.toString().replace("SELECT *", "SELECT id, patient_account"))
                .params(params)
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    return new UUID[] {id, fileAccounts.accountOf(establishmentId, id, rs.getBytes(2))};
                })
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
            @Nullable String email,
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
        jdbc.sql("INSERT INTO patient_files (establishment_id, id, first_name, last_name, birth_date, sex, phone,"
                        + " email, nir, created_at, last_name_index, birth_date_index)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)")
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
        Optional<PatientRef> patient = patientOf(establishmentId, fileId);
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
        record Sealed(UUID id, @Nullable UUID account, byte[] firstName, byte[] lastName) {}
        List<Sealed> files = jdbc.sql("SELECT id, patient_account, first_name, last_name FROM patient_files"
                        + " WHERE establishment_id = :establishment AND id IN (:files)")
                .param("establishment", establishmentId)
                .param("files", List.copyOf(new LinkedHashSet<>(fileIds)))
                .query((rs, n) -> new Sealed(
                        rs.getObject(1, UUID.class),
                        fileAccounts.accountOf(establishmentId, rs.getObject(1, UUID.class), rs.getBytes(2)),
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
                            NAME_FIELDS,
                            purpose))
                    .allowsAll(NAME_FIELDS);
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
                fileAccounts.accountOf(establishmentId, id, rs.getBytes("patient_account")),
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
        return SEALED.column(name, row);
    }
}
