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
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.identity.Logins;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Patient accounts: registration and reading one's own profile. */
@Service
public class PatientAccounts {

    static final String TABLE = "patient_accounts";
    /** The account's identity and contact, sealed under the account's own key. */
    static final SealedTable SEALED = SealedTable.of(
            TABLE,
            "id",
            KeyOwner.Type.PATIENT_ACCOUNT,
            "email",
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "phone",
            "nir");

    static final List<Field> IDENTITY_FIELDS = List.of(
            Field.EMAIL, Field.FIRST_NAME, Field.LAST_NAME, Field.BIRTH_DATE, Field.SEX, Field.PHONE, Field.NIR);

    static final List<Field> CONTACT_FIELDS = List.of(Field.FIRST_NAME, Field.EMAIL, Field.PHONE);

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final BlindIndex blindIndex;
    private final Logins logins;
    private final AccessDecision access;
    private final Clock clock;

    PatientAccounts(
            JdbcClient jdbc,
            FieldSealer sealer,
            BlindIndex blindIndex,
            Logins logins,
            AccessDecision access,
            Clock clock) {
        this.access = access;
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.blindIndex = blindIndex;
        this.logins = logins;
        this.clock = clock;
    }

    /** Registers a patient account and its login, all or nothing. */
    @Transactional
    public UUID register(NewPatient patient) {
        LocalDate today = LocalDate.now(clock);
        if (patient.birthDate().isAfter(today) || patient.birthDate().isBefore(today.minusYears(130))) {
            throw new InvalidRequestException("birthDate", "must be a past date within the last 130 years");
        }
        UUID id = UUID.randomUUID();
        UUID loginId = logins.create(Role.PATIENT, id, null, patient.email(), patient.password());
        // The new patient creates their own account: the access is theirs, recorded before anything is written.
        access.require(AccessRequest.toAccount(
                new Actor.Person(loginId, Role.PATIENT, id, null),
                PatientRef.account(id),
                Action.CREATE,
                Resource.PATIENT_ACCOUNT,
                IDENTITY_FIELDS,
                Purpose.REGISTRATION));

        KeyOwner owner = KeyOwner.patientAccount(id);
        try {
            // The address is identity's (one login per address); the account keeps a sealed copy to show.
            // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
            jdbc.sql("INSERT INTO patient_accounts (id, email, first_name, last_name, birth_date, sex,"
                            + " phone, nir, nir_index, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .param(id)
                    .param(sealer.seal(owner, column("email", id), patient.email()))
                    .param(sealer.seal(owner, column("first_name", id), patient.firstName()))
                    .param(sealer.seal(owner, column("last_name", id), patient.lastName()))
                    .param(sealer.seal(
                            owner, column("birth_date", id), patient.birthDate().toString()))
                    .param(sealer.seal(owner, column("sex", id), patient.sex().name()))
                    .param(sealer.seal(owner, column("phone", id), patient.phone()))
                    .param(
                            patient.nir() == null
                                    ? null
                                    : sealer.seal(
                                            owner,
                                            column("nir", id),
                                            patient.nir().value()))
                    .param(
                            patient.nir() == null
                                    ? null
                                    : blindIndex.of("nir", patient.nir().value()))
                    .param(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("An account already exists for this e-mail address or NIR");
        }
        return id;
    }

    /** The account's identity and contact, if the access decision allows the actor; recorded either way. */
    @Transactional
    public Optional<PatientProfile> profile(UUID accountId, Actor actor, Purpose purpose) {
        Optional<PatientProfile> profile = load(accountId);
        profile.ifPresent(p -> access.require(AccessRequest.toAccount(
                actor,
                PatientRef.account(accountId),
                Action.READ,
                Resource.PATIENT_ACCOUNT,
                IDENTITY_FIELDS,
                purpose)));
        return profile;
    }

    /**
     * The first name, e-mail address and phone number of an account, to write to its owner, if the
     * access decision allows the actor (the platform's notifications); recorded either way.
     */
    @Transactional
    public Optional<PatientContact> contact(UUID accountId, Actor actor, Purpose purpose) {
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        Optional<PatientContact> contact = jdbc.sql(
                        "SELECT first_name, email, phone FROM patient_accounts WHERE id = ?")
                .param(accountId)
                .query((rs, n) -> new PatientContact(
                        open(owner, "first_name", accountId, rs.getBytes("first_name")),
                        open(owner, "email", accountId, rs.getBytes("email")),
                        open(owner, "phone", accountId, rs.getBytes("phone"))))
                .optional();
        contact.ifPresent(c -> access.require(AccessRequest.toAccount(
                actor, PatientRef.account(accountId), Action.READ, Resource.PATIENT_ACCOUNT, CONTACT_FIELDS, purpose)));
        return contact;
    }

    private String open(KeyOwner owner, String column, UUID accountId, byte[] sealed) {
        return java.util.Objects.requireNonNull(sealer.open(owner, column(column, accountId), sealed), column);
    }

    /** Opens an account without recording; callers in this module record the access they make of it. */
    Optional<PatientProfile> load(UUID accountId) {
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        return jdbc.sql("SELECT email, first_name, last_name, birth_date, sex, phone, nir FROM patient_accounts"
                        + " WHERE id = ?")
                .param(accountId)
                .query((rs, n) -> {
                    String nir = sealer.open(owner, column("nir", accountId), rs.getBytes("nir"));
                    return new PatientProfile(
                            accountId,
                            sealer.open(owner, column("email", accountId), rs.getBytes("email")),
                            sealer.open(owner, column("first_name", accountId), rs.getBytes("first_name")),
                            sealer.open(owner, column("last_name", accountId), rs.getBytes("last_name")),
                            LocalDate.parse(
                                    sealer.open(owner, column("birth_date", accountId), rs.getBytes("birth_date"))),
                            Sex.valueOf(sealer.open(owner, column("sex", accountId), rs.getBytes("sex"))),
                            sealer.open(owner, column("phone", accountId), rs.getBytes("phone")),
                            nir == null ? null : new Nir(nir));
                })
                .optional();
    }

    private static SealedColumn column(String name, UUID row) {
        return SEALED.column(name, row);
    }
}
