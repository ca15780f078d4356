package org.carnet.privacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.accesslog.AccessLogs;
import org.carnet.accesslog.ShownEntry;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.PatientProfile;
import org.carnet.patients.Relatives;
import org.carnet.scheduling.AppointmentView;
import org.carnet.scheduling.Bookings;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A patient's own copy of everything Carnet holds about them (GDPR art. 15 and 20). The copy is
 * recorded in the access log as a whole (an export of their data, by themselves), and each part is read
 * through its module's service, each reading decided and recorded by the access decision: a patient
 * only ever gets their own.
 */
@Service
public class DataCopies {

    /** What the copy gathers, as its access-log entry names it. */
    static final List<Field> FIELDS = List.of(
            Field.FIRST_NAME,
            Field.LAST_NAME,
            Field.BIRTH_DATE,
            Field.SEX,
            Field.NIR,
            Field.EMAIL,
            Field.PHONE,
            Field.RELATIONSHIP,
            Field.SLOT,
            Field.STATUS,
            Field.MOTIVE,
            Field.COMMENT,
            Field.LOG_OCCURRED_AT,
            Field.LOG_ACTOR,
            Field.LOG_ACTION,
            Field.LOG_RESOURCE,
            Field.LOG_FIELDS,
            Field.LOG_PURPOSE,
            Field.LOG_OUTCOME);

    static final String QUESTIONNAIRE_NOTE = "Questionnaire answers and teleconsultation exchanges are left out:"
            + " they are end-to-end encrypted on your device and the practitioner's, and Carnet holds only"
            + " ciphertext it cannot read. Your device shows them in clear on the teleconsultation page.";
    static final String NIR_NOTE = "Your social security number (NIR) is not repeated here, as anywhere Carnet"
            + " shows your profile: nirOnFile says whether your account keeps one.";
    static final String HISTORY_NOTE =
            "The access history lists the latest " + AccessLogs.PATIENT_LIMIT + " accesses to your data, newest first.";

    private final AccessDecision access;
    private final PatientAccounts accounts;
    private final Relatives relatives;
    private final PatientFiles files;
    private final Bookings bookings;
    private final AccessLogs accessLogs;
    private final Directory directory;
    private final Clock clock;

    DataCopies(
            AccessDecision access,
            PatientAccounts accounts,
            Relatives relatives,
            PatientFiles files,
            Bookings bookings,
            AccessLogs accessLogs,
            Directory directory,
            Clock clock) {
        this.access = access;
        this.accounts = accounts;
        this.relatives = relatives;
        this.files = files;
        this.bookings = bookings;
        this.accessLogs = accessLogs;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * The signed-in patient's copy of their data.
     *
     * @throws NotFoundException when the caller is not a patient
     */
    @Transactional
    public DataCopy of(Actor.Person patient) {
        if (patient.role() != Role.PATIENT) {
            throw new NotFoundException("Patient");
        }
        UUID account = patient.subjectId();
        access.require(AccessRequest.toAccount(
                patient, PatientRef.account(account), Action.EXECUTE, Resource.DATA_COPY, FIELDS, Purpose.DATA_COPY));
        PatientProfile profile = accounts.profile(account, patient, Purpose.DATA_COPY)
                .orElseThrow(() -> new NotFoundException("Patient"));
        List<DataCopy.CopiedRelative> relativeCopies = relatives.list(account, patient, Purpose.DATA_COPY).stream()
                .map(r -> new DataCopy.CopiedRelative(
                        r.id(),
                        r.firstName(),
                        r.lastName(),
                        r.birthDate(),
                        r.relationship().name()))
                .toList();
        List<DataCopy.CopiedAppointment> appointments = bookings.appointmentsOf(patient, Purpose.DATA_COPY).stream()
                .map(DataCopies::appointment)
                .toList();
        List<PatientFiles.OwnFile> own = files.filesOf(account, patient, Purpose.DATA_COPY);
        Map<UUID, Establishment> establishments = directory.establishments(
                own.stream().map(PatientFiles.OwnFile::establishmentId).toList());
        List<DataCopy.CopiedFile> fileCopies = own.stream()
                .map(f -> file(f, establishments.get(f.establishmentId())))
                .toList();
        List<DataCopy.CopiedAccess> history = accessLogs.mineRecorded(patient, Purpose.DATA_COPY).stream()
                .map(DataCopies::access)
                .toList();
        List<String> notes = new ArrayList<>(List.of(QUESTIONNAIRE_NOTE, NIR_NOTE, HISTORY_NOTE));
        return new DataCopy(
                DataCopy.FORMAT,
                clock.instant(),
                new DataCopy.CopiedProfile(
                        account,
                        profile.email(),
                        profile.firstName(),
                        profile.lastName(),
                        profile.birthDate(),
                        profile.sex().name(),
                        profile.phone(),
                        profile.nir() != null),
                relativeCopies,
                appointments,
                fileCopies,
                history,
                List.copyOf(notes));
    }

    private static DataCopy.CopiedAppointment appointment(AppointmentView a) {
        return new DataCopy.CopiedAppointment(
                a.id(),
                a.start(),
                a.end(),
                a.status(),
                a.establishmentId(),
                a.establishmentName(),
                a.establishmentAddress(),
                a.practitionerId(),
                a.practitionerName(),
                a.specialty(),
                a.motive(),
                a.comment(),
                a.forWhom());
    }

    private static DataCopy.CopiedFile file(
            PatientFiles.OwnFile own, @org.jspecify.annotations.Nullable Establishment e) {
        PatientFiles.FileView f = own.file();
        String name = e == null ? null : e.name();
        if (f == null) {
            return new DataCopy.CopiedFile(
                    own.establishmentId(),
                    name,
                    own.fileId(),
                    own.createdAt(),
                    true,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        return new DataCopy.CopiedFile(
                own.establishmentId(),
                name,
                own.fileId(),
                own.createdAt(),
                false,
                f.firstName(),
                f.lastName(),
                f.birthDate(),
                f.sex(),
                f.phone(),
                f.email());
    }

    private static DataCopy.CopiedAccess access(ShownEntry e) {
        return new DataCopy.CopiedAccess(
                e.at(),
                e.establishmentId(),
                e.establishment(),
                e.actorType(),
                e.role(),
                e.practitioner(),
                e.action(),
                e.resource(),
                e.fields(),
                e.purpose(),
                e.outcome());
    }
}
