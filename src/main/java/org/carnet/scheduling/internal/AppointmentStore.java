package org.carnet.scheduling.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShreddedException;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.patients.FileAccounts;
import org.carnet.scheduling.Appointment;
import org.carnet.scheduling.ForWhom;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The appointments table. The motive (which one, and its label) and the comment are sealed under
 * the establishment's data key; no plaintext column says why a patient comes.
 */
@Component
public class AppointmentStore {

    static final String TABLE = "appointments";
    /**
     * Why a patient comes (motive, comment), for which relative, and whose account it is (never in clear: a
     * dump without the keys must not link an account to its establishments), sealed under the establishment's
     * key.
     */
    public static final SealedTable SEALED = SealedTable.of(
            TABLE,
            "establishment_id",
            KeyOwner.Type.ESTABLISHMENT,
            "motive",
            "comment",
            "for_relative",
            "patient_account");

    private static final String SELECT = "SELECT a.*, s.start_at, s.end_at FROM appointments a"
            + " JOIN slots s ON s.establishment_id = a.establishment_id AND s.id = a.slot_id";

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final FileAccounts fileAccounts;

    AppointmentStore(JdbcClient jdbc, FieldSealer sealer, FileAccounts fileAccounts) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.fileAccounts = fileAccounts;
    }

    public void insert(Appointment appointment) {
        KeyOwner owner = KeyOwner.establishment(appointment.establishmentId());
        // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
        jdbc.sql("INSERT INTO appointments (establishment_id, id, slot_id, practitioner_id, patient_account,"
                        + " patient_file_id, motive, comment, status, booked_at, for_relative)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(appointment.establishmentId())
                .param(appointment.id())
                .param(appointment.slotId())
                .param(appointment.practitionerId())
                .param(
                        appointment.patientAccountId() == null
                                ? null
                                : sealer.seal(
                                        owner,
                                        column("patient_account", appointment.id()),
                                        appointment.patientAccountId().toString()))
                .param(appointment.patientFileId())
                .param(sealer.seal(owner, column("motive", appointment.id()), MotiveCodec.encode(appointment)))
                .param(sealer.seal(owner, column("comment", appointment.id()), appointment.comment()))
                .param(appointment.status().name())
                .param(SlotStore.utc(appointment.bookedAt()))
                .param(
                        appointment.forWhom() == null
                                ? null
                                : sealer.seal(
                                        owner,
                                        column("for_relative", appointment.id()),
                                        appointment.forWhom().encode()))
                .update();
    }

    /** Records a cancellation; false if the appointment was no longer booked. */
    public boolean markCancelled(Appointment appointment, java.time.Instant at) {
        return jdbc.sql("UPDATE appointments SET status = 'CANCELLED', cancelled_at = ? WHERE establishment_id = ?"
                                + " AND id = ? AND status = 'BOOKED'")
                        .params(SlotStore.utc(at), appointment.establishmentId(), appointment.id())
                        .update()
                == 1;
    }

    public boolean moveTo(Appointment appointment, UUID newSlotId) {
        return jdbc.sql("UPDATE appointments SET slot_id = ? WHERE establishment_id = ? AND id = ?"
                                + " AND slot_id = ? AND status = 'BOOKED'")
                        .params(newSlotId, appointment.establishmentId(), appointment.id(), appointment.slotId())
                        .update()
                == 1;
    }

    /** An appointment of this patient; another patient's id finds nothing. */
    Optional<Appointment> findForPatient(UUID appointmentId, UUID patientAccountId) {
        return find(appointmentId).filter(appointment -> patientAccountId.equals(appointment.patientAccountId()));
    }

    public Optional<Appointment> find(UUID appointmentId) {
        return jdbc.sql(SELECT + " WHERE a.id = ?")
                .param(appointmentId)
                .query((rs, n) -> map(rs))
                .optional();
    }

    /**
     * The patient's appointments, in every establishment; those of an establishment whose keys were
     * destroyed (it left Carnet) are left out, as nothing of them can be read any more.
     */
    public List<Appointment> ofPatient(UUID patientAccountId) {
        // Through the account's own links to its files: no column of appointments names the account.
        List<FileAccounts.FileRef> files = fileAccounts.filesOf(patientAccountId);
        if (files.isEmpty()) {
            return List.of();
        }
        StringBuilder where = new StringBuilder(" WHERE");
        List<Object> params = new java.util.ArrayList<>();
        for (FileAccounts.FileRef file : files) {
            where.append(params.isEmpty() ? "" : " OR").append(" (a.establishment_id = ? AND a.patient_file_id = ?)");
            params.add(file.establishmentId());
            params.add(file.fileId());
        }
        return jdbc
                .sql(SELECT + where + " ORDER BY s.start_at, a.id")
                .params(params)
                .query((rs, n) -> readable(rs))
                .list()
                .stream()
                .flatMap(Optional::stream)
                .filter(appointment -> patientAccountId.equals(appointment.patientAccountId()))
                .toList();
    }

    /**
     * The account of the appointment on this row (its {@code establishment_id}, {@code id}, {@code patient_account}
     * and {@code patient_account_id}): opened from its sealed value, or for a row written before V42 and not yet
     * moved by {@code AppointmentUnlinking}, its clear id.
     */
    public @Nullable UUID accountOf(java.sql.ResultSet rs) throws java.sql.SQLException {
        byte[] sealed = rs.getBytes("patient_account");
        return sealed == null
                ? rs.getObject("patient_account_id", UUID.class)
                : accountOf(rs.getObject("establishment_id", UUID.class), rs.getObject("id", UUID.class), sealed);
    }

    /** The account an appointment of this establishment is for, opened from its sealed value; null for none. */
    public @Nullable UUID accountOf(UUID establishmentId, UUID appointmentId, byte @Nullable [] sealedAccount) {
        String account = sealer.open(
                KeyOwner.establishment(establishmentId), column("patient_account", appointmentId), sealedAccount);
        return account == null ? null : UUID.fromString(account);
    }

    private Optional<Appointment> readable(java.sql.ResultSet rs) throws java.sql.SQLException {
        try {
            return Optional.of(map(rs));
        } catch (KeyShreddedException e) {
            return Optional.empty();
        }
    }

    /** Booked appointments of patients with an account, starting in (from, to]: ids and times, nothing sealed. */
    public List<org.carnet.scheduling.UpcomingAppointments.Upcoming> upcoming(
            java.time.Instant from, java.time.Instant to) {
        return jdbc.sql(
                        "SELECT a.id, a.establishment_id, a.practitioner_id, a.patient_account, a.patient_account_id,"
                                + " s.start_at,"
                                + " a.booked_at FROM slots s JOIN appointments a ON a.slot_id = s.id AND a.status = 'BOOKED'"
                                + " WHERE s.status = 'BOOKED' AND s.start_at > ? AND s.start_at <= ?"
                                + " AND (a.patient_account IS NOT NULL OR a.patient_account_id IS NOT NULL) ORDER BY s.start_at")
                .params(
                        OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC))
                .query((rs, n) -> new org.carnet.scheduling.UpcomingAppointments.Upcoming(
                        org.carnet.shared.AppointmentId.of(rs.getObject("id", UUID.class)),
                        org.carnet.shared.EstablishmentId.of(rs.getObject("establishment_id", UUID.class)),
                        org.carnet.shared.PractitionerId.of(rs.getObject("practitioner_id", UUID.class)),
                        org.carnet.shared.PatientAccountId.of(Objects.requireNonNull(accountOf(rs))),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("booked_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    private static final String PROGRAM_SELECT =
            "SELECT a.id, a.establishment_id, a.practitioner_id, a.patient_account, a.patient_account_id,"
                    + " a.patient_file_id, a.slot_id, a.status, s.start_at, s.end_at FROM appointments a"
                    + " JOIN slots s ON s.establishment_id = a.establishment_id AND s.id = a.slot_id";

    /**
     * An establishment's appointments starting in [from, to), optionally of one practitioner, by start
     * then id: ids, times and status only, nothing sealed is read.
     */
    public List<org.carnet.scheduling.ProgramAppointment> ofEstablishment(
            UUID establishmentId,
            java.time.Instant from,
            java.time.Instant to,
            @org.jspecify.annotations.Nullable UUID practitionerId,
            int offset,
            int limit) {
        return jdbc.sql(PROGRAM_SELECT + window(practitionerId) + " ORDER BY s.start_at, a.id LIMIT " + limit
                        + " OFFSET " + offset)
                .params(windowParams(establishmentId, from, to, practitionerId))
                .query((rs, n) -> programRow(rs))
                .list();
    }

    /** How many appointments {@link #ofEstablishment} would list without paging. */
    public int countOfEstablishment(
            UUID establishmentId,
            java.time.Instant from,
            java.time.Instant to,
            @org.jspecify.annotations.Nullable UUID practitionerId) {
        return jdbc.sql("SELECT COUNT(*) FROM appointments a JOIN slots s ON s.establishment_id = a.establishment_id"
                        + " AND s.id = a.slot_id" + window(practitionerId))
                .params(windowParams(establishmentId, from, to, practitionerId))
                .query(Integer.class)
                .single();
    }

    /** One appointment of the establishment: ids, times and status only. */
    public Optional<org.carnet.scheduling.ProgramAppointment> inEstablishment(UUID establishmentId, UUID id) {
        return jdbc.sql(PROGRAM_SELECT + " WHERE a.establishment_id = ? AND a.id = ?")
                .params(establishmentId, id)
                .query((rs, n) -> programRow(rs))
                .optional();
    }

    /** The motive's label as booked, opened. */
    public String motiveLabel(UUID establishmentId, UUID id) {
        byte[] sealed = jdbc.sql("SELECT motive FROM appointments WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, id)
                .query(byte[].class)
                .single();
        return MotiveCodec.decode(sealer.open(KeyOwner.establishment(establishmentId), column("motive", id), sealed))
                .label();
    }

    private static String window(@org.jspecify.annotations.Nullable UUID practitionerId) {
        return " WHERE a.establishment_id = ? AND s.start_at >= ? AND s.start_at < ?"
                + (practitionerId == null ? "" : " AND a.practitioner_id = ?");
    }

    private static Object[] windowParams(
            UUID establishmentId,
            java.time.Instant from,
            java.time.Instant to,
            @org.jspecify.annotations.Nullable UUID practitionerId) {
        return practitionerId == null
                ? new Object[] {establishmentId, SlotStore.utc(from), SlotStore.utc(to)}
                : new Object[] {establishmentId, SlotStore.utc(from), SlotStore.utc(to), practitionerId};
    }

    private org.carnet.scheduling.ProgramAppointment programRow(java.sql.ResultSet rs) throws java.sql.SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new org.carnet.scheduling.ProgramAppointment(
                id,
                rs.getObject("practitioner_id", UUID.class),
                accountOf(rs),
                rs.getObject("patient_file_id", UUID.class),
                rs.getObject("slot_id", UUID.class),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                Appointment.Status.valueOf(rs.getString("status")),
                null);
    }

    private Appointment map(java.sql.ResultSet rs) throws java.sql.SQLException {
        UUID id = rs.getObject("id", UUID.class);
        UUID establishmentId = rs.getObject("establishment_id", UUID.class);
        KeyOwner owner = KeyOwner.establishment(establishmentId);
        MotiveCodec.Motive motive = MotiveCodec.decode(sealer.open(owner, column("motive", id), rs.getBytes("motive")));
        return new Appointment(
                id,
                establishmentId,
                rs.getObject("practitioner_id", UUID.class),
                accountOf(rs),
                rs.getObject("patient_file_id", UUID.class),
                rs.getObject("slot_id", UUID.class),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                motive.id(),
                motive.label(),
                sealer.open(owner, column("comment", id), rs.getBytes("comment")),
                Appointment.Status.valueOf(rs.getString("status")),
                rs.getObject("booked_at", OffsetDateTime.class).toInstant(),
                ForWhom.decode(sealer.open(owner, column("for_relative", id), rs.getBytes("for_relative"))));
    }

    private static SealedColumn column(String name, UUID row) {
        return SEALED.column(name, row);
    }

    /** The sealed motive keeps both the motive's id and its label as booked. */
    static final class MotiveCodec {
        record Motive(UUID id, String label) {}

        private MotiveCodec() {}

        static String encode(Appointment appointment) {
            return appointment.motiveId() + "|" + appointment.motiveLabel();
        }

        static Motive decode(String value) {
            int bar = value.indexOf('|');
            return new Motive(UUID.fromString(value.substring(0, bar)), value.substring(bar + 1));
        }
    }
}
