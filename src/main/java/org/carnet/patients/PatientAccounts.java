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
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.EmailConfirmations;
import org.carnet.identity.Logins;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
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
    private final EmailConfirmations confirmations;
    private final ApplicationEventPublisher events;
    private final FileAccounts fileAccounts;
    private final Clock clock;

    PatientAccounts(
            JdbcClient jdbc,
            FieldSealer sealer,
            BlindIndex blindIndex,
            Logins logins,
            AccessDecision access,
            EmailConfirmations confirmations,
            ApplicationEventPublisher events,
            FileAccounts fileAccounts,
            Clock clock) {
        this.fileAccounts = fileAccounts;
        this.access = access;
        this.confirmations = confirmations;
        this.events = events;
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.blindIndex = blindIndex;
        this.logins = logins;
        this.clock = clock;
    }

    /**
     * Registers a patient account and its login, all or nothing, and asks for its address to be
     * confirmed ({@link AddressConfirmationRequested}): the account books once its owner has typed the
     * code sent there. An address that already has a login is answered the same way (same checks, a
     * password hashed all the same, nothing returned) and its owner is told that someone tried ({@link
     * RegistrationAttempted}): registration never says whether an address has an account. A NIR that
     * another account already claims is accepted and flagged, on both accounts and on their
     * establishments' files, for staff to check an identity document; it is never refused.
     */
    @Transactional
    public void register(NewPatient patient) {
        checkBirthDate(patient);
        Optional<CarnetPrincipal> existing = logins.withEmail(patient.email());
        if (existing.isPresent()) {
            logins.rehearseNewLogin(patient.password());
            CarnetPrincipal owner = existing.get();
            events.publishEvent(
                    new RegistrationAttempted(owner.userId(), owner.role(), owner.subjectId(), clock.instant()));
            return;
        }
        Created created = create(patient);
        events.publishEvent(
                new AddressConfirmationRequested(created.accountId(), created.loginId(), UUID.randomUUID()));
    }

    /**
     * Registers a demonstration patient whose synthetic address counts as confirmed (it is nobody's
     * mailbox): for the demo seeder only. Everyone else registers with {@link #register}.
     */
    @Transactional
    public UUID registerDemoPatient(NewPatient patient) {
        checkBirthDate(patient);
        Created created = create(patient);
        confirmations.confirmDemoAddress(created.loginId());
        return created.accountId();
    }

    /** Sends the signed-in patient a new code for their address, unless it is confirmed already. */
    @Transactional
    public void requestAddressConfirmation(Actor.Person patient) {
        if (patient.role() != Role.PATIENT || confirmations.confirmed(patient.userId())) {
            return;
        }
        events.publishEvent(new AddressConfirmationRequested(patient.subjectId(), patient.userId(), UUID.randomUUID()));
    }

    private void checkBirthDate(NewPatient patient) {
        LocalDate today = LocalDate.now(clock);
        if (patient.birthDate().isAfter(today) || patient.birthDate().isBefore(today.minusYears(130))) {
            throw new InvalidRequestException("birthDate", "must be a past date within the last 130 years");
        }
    }

    private record Created(UUID accountId, UUID loginId) {}

    private Created create(NewPatient patient) {
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
        byte @Nullable [] nirIndex = patient.nir() == null
                ? null
                : blindIndex.of(Nir.INDEX_PURPOSE, patient.nir().value());
        boolean claimedTwice = nirIndex != null && flagOtherClaims(nirIndex);
        // The address is identity's (one login per address); the account keeps a sealed copy to show.
        // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
        jdbc.sql("INSERT INTO patient_accounts (id, email, first_name, last_name, birth_date, sex,"
                        + " phone, nir, nir_index, nir_claimed_twice, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
                                        owner, column("nir", id), patient.nir().value()))
                .param(nirIndex)
                .param(claimedTwice)
                .param(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
        return new Created(id, loginId);
    }

    /**
     * Flags the accounts that already claim this NIR, and their establishments' files, as claimed
     * twice; whether there were any.
     */
    private boolean flagOtherClaims(byte[] nirIndex) {
        int others = jdbc.sql("UPDATE patient_accounts SET nir_claimed_twice = TRUE WHERE nir_index = ?")
                .param(nirIndex)
                .update();
        if (others > 0) {
            List<UUID> claimants = jdbc.sql("SELECT id FROM patient_accounts WHERE nir_index = ?")
                    .param(nirIndex)
                    .query(UUID.class)
                    .list();
            for (UUID claimant : claimants) {
                for (FileAccounts.FileRef file : fileAccounts.filesOf(claimant)) {
                    jdbc.sql("UPDATE patient_files SET nir_to_check = TRUE WHERE establishment_id = ? AND id = ?")
                            .params(file.establishmentId(), file.fileId())
                            .update();
                }
            }
        }
        return others > 0;
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

    /** Whether the id is a patient account's (the access log also names files of patients known only to a practice). */
    @Transactional(readOnly = true)
    public boolean isAccount(UUID id) {
        return jdbc.sql("SELECT COUNT(*) FROM patient_accounts WHERE id = ?")
                        .param(id)
                        .query(Integer.class)
                        .single()
                > 0;
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
