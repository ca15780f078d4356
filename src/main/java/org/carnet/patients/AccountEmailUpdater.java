package org.carnet.patients;

import java.util.List;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.identity.LoginEmailChanged;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Identity owns a patient's e-mail address; this keeps its sealed copies in step when it changes, in
 * the same transaction: the account's, and the one in each establishment's file made from the
 * account, each re-sealed under its owner's key and each change decided and recorded as the patient's
 * own update. The new address gets a confirmation code ({@link AddressConfirmationRequested}): the
 * patient books again once it is typed back.
 */
@Component
class AccountEmailUpdater {

    private static final List<Field> EMAIL = List.of(Field.EMAIL);

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final AccessDecision access;
    private final ApplicationEventPublisher events;
    private final FileAccounts fileAccounts;

    AccountEmailUpdater(
            JdbcClient jdbc,
            FieldSealer sealer,
            AccessDecision access,
            ApplicationEventPublisher events,
            FileAccounts fileAccounts) {
        this.jdbc = jdbc;
        this.fileAccounts = fileAccounts;
        this.sealer = sealer;
        this.access = access;
        this.events = events;
    }

    @EventListener
    void on(LoginEmailChanged changed) {
        if (changed.role() != Role.PATIENT) {
            return;
        }
        UUID account = changed.subjectId();
        Actor patient = new Actor.Person(changed.userId(), Role.PATIENT, account, null);
        access.require(AccessRequest.toAccount(
                patient,
                PatientRef.account(account),
                Action.UPDATE,
                Resource.PATIENT_ACCOUNT,
                EMAIL,
                Purpose.SELF_SERVICE));
        jdbc.sql("UPDATE patient_accounts SET email = ? WHERE id = ?")
                .params(
                        sealer.seal(
                                KeyOwner.patientAccount(account),
                                PatientAccounts.SEALED.column("email", account),
                                changed.newEmail()),
                        account)
                .update();
        for (FileAccounts.FileRef file : fileAccounts.filesOf(account)) {
            access.require(new AccessRequest(
                    patient,
                    PatientRef.account(account),
                    EstablishmentId.of(file.establishmentId()),
                    Action.UPDATE,
                    Resource.PATIENT_FILE,
                    EMAIL,
                    Purpose.SELF_SERVICE));
            jdbc.sql("UPDATE patient_files SET email = ? WHERE establishment_id = ? AND id = ?")
                    .params(
                            sealer.seal(
                                    KeyOwner.establishment(file.establishmentId()),
                                    PatientFiles.SEALED.column("email", file.fileId()),
                                    changed.newEmail()),
                            file.establishmentId(),
                            file.fileId())
                    .update();
        }
        events.publishEvent(new AddressConfirmationRequested(account, changed.userId(), UUID.randomUUID()));
    }
}
