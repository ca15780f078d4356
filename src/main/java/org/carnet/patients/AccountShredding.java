package org.carnet.patients;

import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShredding;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The account's part of a patient's erasure: its data key is destroyed, so its identity, contact and
 * relatives (all sealed under it) can no longer be opened by anyone, Carnet included; its NIR's blind
 * index goes too, which would otherwise still answer whether a given NIR had an account. The rows stay,
 * as ciphertext no key opens, so that the ids the access log names still resolve to a row.
 */
@Service
public class AccountShredding {

    private final JdbcClient jdbc;
    private final AccessDecision access;
    private final KeyShredding shredding;

    AccountShredding(JdbcClient jdbc, AccessDecision access, KeyShredding shredding) {
        this.jdbc = jdbc;
        this.access = access;
        this.shredding = shredding;
    }

    /**
     * Destroys the signed-in patient's account key, in the caller's transaction, recorded as the
     * deletion of their account and relatives.
     *
     * @throws ConflictException when it was destroyed already
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void shred(Actor.Person patient) {
        if (patient.role() != Role.PATIENT) {
            throw new IllegalArgumentException("Only a patient erases their own account");
        }
        UUID account = patient.subjectId();
        if (isShredded(account)) {
            throw new ConflictException("This account is already erased.");
        }
        access.require(AccessRequest.toAccount(
                patient,
                PatientRef.account(account),
                Action.DELETE,
                Resource.PATIENT_ACCOUNT,
                PatientAccounts.IDENTITY_FIELDS,
                Purpose.ERASURE));
        int relatives = jdbc.sql("SELECT COUNT(*) FROM relatives WHERE patient_account_id = ?")
                .param(account)
                .query(Integer.class)
                .single();
        if (relatives > 0) {
            access.require(AccessRequest.toAccount(
                    patient,
                    PatientRef.account(account),
                    Action.DELETE,
                    Resource.RELATIVE,
                    Relatives.FIELDS,
                    Purpose.ERASURE));
        }
        jdbc.sql("UPDATE patient_accounts SET nir_index = NULL WHERE id = ?")
                .param(account)
                .update();
        shredding.shred(KeyOwner.patientAccount(account));
    }

    /** Whether the account was erased (its key destroyed). */
    public boolean isShredded(UUID accountId) {
        return shredding.isShredded(KeyOwner.patientAccount(accountId));
    }
}
