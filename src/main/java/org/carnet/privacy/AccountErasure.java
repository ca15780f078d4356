package org.carnet.privacy;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.carnet.identity.LoginClosure;
import org.carnet.patients.AccountShredding;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.PatientDeparture;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient erases their account (GDPR art. 17), after giving their password again, all or nothing:
 * their future appointments are cancelled through the booking module (the practices' agendas show it),
 * the establishments' copies of them are deleted wherever no medical record is kept (the retention rule
 * of docs/privacy.md: an establishment where an appointment took place keeps its file), the account's
 * key is destroyed (its identity, contact and relatives can no longer be opened by anyone), and its
 * login is closed. Each step is recorded in the access log, which stays verifiable.
 */
@Service
public class AccountErasure {

    /** The problem type of a refused erasure for want of the right password. */
    public static final String REAUTHENTICATION_FAILED = "reauthentication-failed";

    /** What an erasure did, in counts (nothing personal). */
    public record Outcome(int appointmentsCancelled, int filesKept, int filesDeleted) {}

    private final LoginClosure logins;
    private final AccountShredding accounts;
    private final PatientFiles files;
    private final PatientDeparture departure;
    private final TransactionTemplate transactions;

    AccountErasure(
            LoginClosure logins,
            AccountShredding accounts,
            PatientFiles files,
            PatientDeparture departure,
            TransactionTemplate transactions) {
        this.logins = logins;
        this.accounts = accounts;
        this.files = files;
        this.departure = departure;
        this.transactions = transactions;
    }

    /**
     * Erases the signed-in patient's account.
     *
     * @throws NotFoundException when the caller is not a patient
     * @throws ForbiddenException ({@value #REAUTHENTICATION_FAILED}) when the password is not theirs (counted
     *     like a failed sign-in: repeated, they lock the account)
     * @throws ConflictException when the account was erased already
     */
    public Outcome erase(Actor.Person patient, String password) {
        if (patient.role() != Role.PATIENT) {
            throw new NotFoundException("Patient");
        }
        // Hashed before the transaction opens: a wait for a hashing permit holds no connection.
        if (!logins.passwordConfirmed(patient.userId(), password)) {
            throw new ForbiddenException(
                    REAUTHENTICATION_FAILED, "Erasing the account needs its current password, given again.");
        }
        return Objects.requireNonNull(transactions.execute(status -> {
            UUID account = patient.subjectId();
            if (accounts.isShredded(account)) {
                throw new ConflictException("This account is already erased.");
            }
            int cancelled = departure.cancelFuture(patient);
            Set<UUID> retained = departure.establishmentsWithPastConsultations(account);
            departure.forgetCancelled(patient, retained);
            Set<UUID> deleted = files.eraseCopies(patient, retained);
            accounts.shred(patient);
            logins.close(patient.userId());
            return new Outcome(cancelled, retained.size(), deleted.size());
        }));
    }
}
