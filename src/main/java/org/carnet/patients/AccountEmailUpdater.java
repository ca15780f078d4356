package org.carnet.patients;

import java.util.List;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.Actor;
import org.carnet.audit.AuditLog;
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.identity.LoginEmailChanged;
import org.carnet.identity.Role;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Keeps a patient account's sealed e-mail in step with its login, in the same transaction. */
@Component
class AccountEmailUpdater {

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final BlindIndex blindIndex;
    private final AuditLog audit;

    AccountEmailUpdater(JdbcClient jdbc, FieldSealer sealer, BlindIndex blindIndex, AuditLog audit) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.blindIndex = blindIndex;
        this.audit = audit;
    }

    @EventListener
    void on(LoginEmailChanged changed) {
        if (changed.role() != Role.PATIENT) {
            return;
        }
        jdbc.sql("UPDATE patient_accounts SET email_index = ?, email = ? WHERE id = ?")
                .params(
                        blindIndex.ofEmail(changed.newEmail()),
                        sealer.seal(
                                KeyOwner.patientAccount(changed.subjectId()),
                                new SealedColumn("patient_accounts", "email", changed.subjectId()),
                                changed.newEmail()),
                        changed.subjectId())
                .update();
        audit.record(new AccessEvent(
                new Actor(Actor.Type.USER, changed.userId(), Role.PATIENT.name()),
                changed.subjectId(),
                changed.subjectId(),
                null,
                AccessEvent.Action.UPDATE,
                "patient-account",
                List.of("email"),
                "self-service",
                AccessEvent.Outcome.ALLOWED));
    }
}
