package org.carnet.patients;

import java.util.List;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.identity.LoginEmailChanged;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps a patient account's sealed e-mail in step with its login, in the same transaction. */
@Component
class AccountEmailUpdater {

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final BlindIndex blindIndex;
    private final AccessDecision access;

    AccountEmailUpdater(JdbcClient jdbc, FieldSealer sealer, BlindIndex blindIndex, AccessDecision access) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.blindIndex = blindIndex;
        this.access = access;
    }

    @EventListener
    void on(LoginEmailChanged changed) {
        if (changed.role() != Role.PATIENT) {
            return;
        }
        access.require(AccessRequest.toAccount(
                new Actor.Person(changed.userId(), Role.PATIENT, changed.subjectId(), null),
                PatientRef.account(changed.subjectId()),
                Action.UPDATE,
                Resource.PATIENT_ACCOUNT,
                List.of(Field.EMAIL),
                Purpose.SELF_SERVICE));
        jdbc.sql("UPDATE patient_accounts SET email_index = ?, email = ? WHERE id = ?")
                .params(
                        blindIndex.ofEmail(changed.newEmail()),
                        sealer.seal(
                                KeyOwner.patientAccount(changed.subjectId()),
                                new SealedColumn("patient_accounts", "email", changed.subjectId()),
                                changed.newEmail()),
                        changed.subjectId())
                .update();
    }
}
