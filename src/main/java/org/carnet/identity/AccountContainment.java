package org.carnet.identity;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.ConflictException;
import org.carnet.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A security officer's containment of one login during an incident: lock it (no sign-in by any way in
 * until an officer lifts it), end everything it holds (every page session and API token), or all that
 * of every member of an establishment, or require new credentials of it. Unlike
 * {@link LoginClosure}, nothing is destroyed: the login keeps its password, factors and key.
 */
@Service
public class AccountContainment {

    private final JdbcClient jdbc;
    private final AccessTokens tokens;
    private final Sessions sessions;
    private final Logins logins;
    private final Passkeys passkeys;
    private final Clock clock;

    AccountContainment(
            JdbcClient jdbc, AccessTokens tokens, Sessions sessions, Logins logins, Passkeys passkeys, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.sessions = sessions;
        this.logins = logins;
        this.passkeys = passkeys;
    }

    /**
     * Requires the login to renew its credentials ({@link Renewal}), in the caller's transaction: its
     * sessions and tokens end, its passkeys are removed (one on a compromised device would skip the
     * renewal), and until its owner has chosen a new password (after giving every factor the login has)
     * and, for a professional or an account that had one, enrolled a new authenticator, a sign-in opens
     * nothing else: no page, no API token, no program acting for it.
     *
     * @throws NotFoundException when there is no such login
     * @throws ConflictException when the login signs in with Pro Santé Connect only, whose credentials are
     *     not Carnet's to renew
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requireRenewal(UUID userId) {
        Logins.StoredLogin login = logins.stored(userId).orElseThrow(() -> new NotFoundException("account"));
        if (login.rppsBound()) {
            throw new ConflictException("This account signs in with Pro Santé Connect only: its credentials are not"
                    + " Carnet's to renew. End its sessions or lock it.");
        }
        logins.requireRenewal(userId);
        passkeys.removeAll(userId);
        endAll(userId);
    }

    /**
     * Locks the login until further notice and ends its sessions and tokens, in the caller's
     * transaction (sessions end once it commits).
     *
     * @throws NotFoundException when there is no such login
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(UUID userId) {
        int locked = jdbc.sql("UPDATE user_accounts SET blocked_until = ? WHERE id = ?")
                .params(LoginClosure.FOREVER, userId)
                .update();
        if (locked == 0) {
            throw new NotFoundException("account");
        }
        endAll(userId);
    }

    /**
     * Lifts the login's lock, whether an officer's or one after failed sign-ins, and forgets its failed
     * attempts: it may sign in again (its sessions stay ended).
     *
     * @return false when it was not locked
     * @throws NotFoundException when there is no such login
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean unlock(UUID userId) {
        Logins.StoredLogin login = logins.stored(userId).orElseThrow(() -> new NotFoundException("account"));
        if (!login.blockedAt(clock.instant())) {
            return false;
        }
        logins.clearFailures(userId);
        return true;
    }

    /** Whether the login is locked now (by an officer, or after failed sign-ins). */
    public boolean locked(UUID userId) {
        return logins.stored(userId)
                .filter(login -> login.blockedAt(clock.instant()))
                .isPresent();
    }

    /**
     * Ends every page session and API token of every login of the establishment's members: its
     * practitioners, staff and administrators (the logins that name it), in the caller's transaction
     * (sessions end once it commits). Patients are not members of an establishment: their logins are
     * left alone. Everyone may sign in again.
     *
     * @return how many logins
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int endAllOfEstablishment(UUID establishmentId) {
        List<UUID> members = jdbc.sql("SELECT id FROM user_accounts WHERE establishment_id = ? AND role IN"
                        + " ('PRACTITIONER', 'STAFF', 'ESTABLISHMENT_ADMIN') ORDER BY id")
                .param(establishmentId)
                .query(UUID.class)
                .list();
        members.forEach(this::endAll);
        return members.size();
    }

    /**
     * Revokes every API token of the login and ends its page sessions once the caller's transaction
     * commits; the owner may sign in again.
     *
     * @throws NotFoundException when there is no such login
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void endAll(UUID userId) {
        Integer exists = jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE id = ?")
                .param(userId)
                .query(Integer.class)
                .single();
        if (exists == 0) {
            throw new NotFoundException("account");
        }
        tokens.revokeAll(userId);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sessions.endAll(userId);
            }
        });
    }
}
