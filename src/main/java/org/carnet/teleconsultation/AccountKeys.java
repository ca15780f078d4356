package org.carnet.teleconsultation;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.AccountKeyStore;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.carnet.teleconsultation.internal.PublicJwks;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient's or practitioner's account key, held by Carnet only wrapped (docs/e2e.md, "Account key,
 * devices and recovery"): to each of their devices' own keys (ECDH-ES+A256KW) and to their recovery code
 * (PBES2-HS512+A256KW). The account key is what the directory publishes and what consultation keys are
 * wrapped to; a device that holds none gets it from the recovery code or from another device of the same
 * person. The server checks each wrap's shape and binding (this person, this device) but never opens one.
 * Every access to a patient's devices and wraps is decided and recorded like their directory entry.
 */
@Service
public class AccountKeys {

    /** A person's devices at most: a device registered beyond is refused (409). */
    public static final int MAX_DEVICES = 20;

    /** An account key wrapped (private JWKs in a JWE): a few hundred bytes. */
    private static final int MAX_WRAPPED = 1024;

    /** A wrap of the account key named by its encryption kid, as a client uploads it. */
    public record Wrap(String accountKid, Envelope envelope) {}

    /** What the set-up of an account key stored: the directory entry and the device it was wrapped to. */
    public record SetUp(KeyDirectoryEntry entry, AccountDevice device) {}

    private final AccountKeyStore store;
    private final KeyDirectory directory;
    private final AccessDecision access;
    private final TransactionTemplate transactions;
    private final Clock clock;

    AccountKeys(
            AccountKeyStore store,
            KeyDirectory directory,
            AccessDecision access,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.directory = directory;
        this.access = access;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Sets the caller's account key up, all or nothing: publishes its public keys in the directory (a new
     * entry), registers the device, and stores the account key wrapped to the device and to the recovery
     * code. Also how an existing user moves from a device key published as the account key to an account
     * key (a new directory version).
     */
    public SetUp setUp(
            Actor.Person actor,
            Map<String, Object> encryptionJwk,
            Map<String, Object> signingJwk,
            Map<String, Object> deviceJwk,
            Envelope deviceWrap,
            Envelope recoveryWrap) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        PublicJwks.Canonical device = PublicJwks.encryption("deviceKey", deviceJwk);
        PublicJwks.Canonical account = PublicJwks.encryption("encryptionKey", encryptionJwk);
        if (device.kid().equals(account.kid())) {
            throw new InvalidRequestException("deviceKey", "must be another key than the account's encryption key");
        }
        checkDeviceWrap("deviceWrap", kind, subject, device.kid(), deviceWrap);
        checkRecoveryWrap("recoveryWrap", kind, subject, recoveryWrap);
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                require(actor, kind, subject, Action.CREATE);
                KeyDirectoryEntry entry = directory.publish(actor, encryptionJwk, signingJwk);
                Instant now = clock.instant();
                refuseRemoved(kind, subject, device.kid());
                if (store.device(kind, subject, device.kid()).isEmpty()) {
                    checkRoom(kind, subject);
                    store.insertDevice(new AccountDevice(kind, subject, device.kid(), device.json(), now, now));
                }
                store.insertWrap(new AccountKeyWrap(
                        kind, subject, entry.encryptionKid(), Bindings.deviceItem(device.kid()), deviceWrap, now));
                store.insertWrap(new AccountKeyWrap(
                        kind, subject, entry.encryptionKid(), Bindings.RECOVERY_ITEM, recoveryWrap, now));
                store.linked(kind, subject, device.kid(), now);
                return new SetUp(
                        entry, store.device(kind, subject, device.kid()).orElseThrow());
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("This account key is already wrapped to this device or to a recovery code");
        }
    }

    /**
     * Registers a device of the caller's: pending (for another device of theirs to link), or linked at
     * once with the wraps its own client made (after opening the recovery wrap with the code).
     */
    public AccountDevice register(Actor.Person actor, Map<String, Object> deviceJwk, List<Wrap> wraps) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        PublicJwks.Canonical device = PublicJwks.encryption("deviceKey", deviceJwk);
        for (int i = 0; i < wraps.size(); i++) {
            checkDeviceWrap(
                    "wraps[" + i + "].envelope",
                    kind,
                    subject,
                    device.kid(),
                    wraps.get(i).envelope());
        }
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                require(actor, kind, subject, Action.CREATE);
                refuseRemoved(kind, subject, device.kid());
                if (store.device(kind, subject, device.kid()).isPresent()) {
                    throw new ConflictException("This device is registered already");
                }
                checkRoom(kind, subject);
                Instant now = clock.instant();
                store.insertDevice(new AccountDevice(
                        kind, subject, device.kid(), device.json(), now, wraps.isEmpty() ? null : now));
                storeWraps(kind, subject, device.kid(), wraps, now);
                return store.device(kind, subject, device.kid()).orElseThrow();
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("This device is registered already");
        }
    }

    /** Links a device of the caller's: stores the account key wrapped to it by another device of theirs. */
    public AccountDevice link(Actor.Person actor, String deviceKid, List<Wrap> wraps) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        if (wraps.isEmpty()) {
            throw new InvalidRequestException("wraps", "must hold at least one wrap");
        }
        for (int i = 0; i < wraps.size(); i++) {
            checkDeviceWrap(
                    "wraps[" + i + "].envelope",
                    kind,
                    subject,
                    deviceKid,
                    wraps.get(i).envelope());
        }
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                require(actor, kind, subject, Action.UPDATE);
                if (store.device(kind, subject, deviceKid).isEmpty()) {
                    throw new NotFoundException("Device");
                }
                storeWraps(kind, subject, deviceKid, wraps, clock.instant());
                return store.device(kind, subject, deviceKid).orElseThrow();
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("This account key is already wrapped to this device");
        }
    }

    /**
     * Removes one of the caller's devices (docs/e2e.md, "Removing a device"): the account key's wraps to it are
     * deleted, and its key is refused from then on (its wraps are not found, it cannot be linked or registered
     * again). What it already opened, it keeps: the page offers a new account key version next.
     *
     * @throws NotFoundException for a device that is not the caller's, or removed already
     */
    public void remove(Actor.Person actor, String deviceKid) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        transactions.executeWithoutResult(status -> {
            require(actor, kind, subject, Action.DELETE);
            if (store.device(kind, subject, deviceKid).isEmpty()) {
                throw new NotFoundException("Device");
            }
            store.remove(kind, subject, deviceKid, clock.instant());
        });
    }

    /** The caller's devices, pending and linked, oldest first (not the removed ones). */
    public List<AccountDevice> devices(Actor.Person actor) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        return Objects.requireNonNull(transactions.execute(status -> {
            require(actor, kind, subject, Action.READ);
            return store.devices(kind, subject);
        }));
    }

    /** The account key(s) wrapped to one of the caller's devices, newest first; 404 for a device not theirs. */
    public List<AccountKeyWrap> deviceWraps(Actor.Person actor, String deviceKid) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        return Objects.requireNonNull(transactions.execute(status -> {
            require(actor, kind, subject, Action.READ);
            if (store.device(kind, subject, deviceKid).isEmpty()) {
                throw new NotFoundException("Device");
            }
            return store.wraps(kind, subject, Bindings.deviceItem(deviceKid));
        }));
    }

    /**
     * Replaces the caller's recovery code (docs/e2e.md, "A new recovery code"): the account key versions wrapped
     * under the new code take the place of every wrap under the old one, all at once. The caller proves that
     * their device holds the account key: {@code proof} is a compact JWS (ES256) by the signing key of their
     * current directory entry, over {@code {"v":1,"account":…,"kind":"recovery-replacement","tags":[the new
     * wraps' tags, in order],"iat":…}}, made within {@link #PROOF_WINDOW} of now. Every version the old code
     * wrapped must be wrapped again, so that none is lost to recovery.
     *
     * @return the new recovery wraps
     */
    public List<AccountKeyWrap> replaceRecovery(Actor.Person actor, List<Wrap> wraps, String proof) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        if (wraps.isEmpty()) {
            throw new InvalidRequestException("wraps", "must hold at least one wrap");
        }
        Set<String> kids = new HashSet<>();
        for (int i = 0; i < wraps.size(); i++) {
            checkRecoveryWrap(
                    "wraps[" + i + "].envelope", kind, subject, wraps.get(i).envelope());
            if (!kids.add(wraps.get(i).accountKid())) {
                throw new InvalidRequestException("wraps[" + i + "].accountKid", "names an account key wrapped twice");
            }
        }
        return Objects.requireNonNull(transactions.execute(status -> {
            require(actor, kind, subject, Action.UPDATE);
            KeyDirectoryEntry current = directory
                    .latest(kind, subject)
                    .orElseThrow(() -> new ConflictException("There is no account key to recover"));
            RecoveryProof.check(proof, current, Bindings.recipientItem(kind, subject), wraps, clock.instant());
            for (int i = 0; i < wraps.size(); i++) {
                if (!store.published(kind, subject, wraps.get(i).accountKid())) {
                    throw new UnprocessableException("wraps[" + i + "].accountKid is not an encryption key the"
                            + " caller's directory entries ever published");
                }
            }
            List<String> lost = store.wraps(kind, subject, Bindings.RECOVERY_ITEM).stream()
                    .map(AccountKeyWrap::accountKid)
                    .filter(kid -> !kids.contains(kid))
                    .toList();
            if (!lost.isEmpty()) {
                throw new UnprocessableException("The new code must wrap again every account key the old one"
                        + " wrapped; missing: " + String.join(", ", lost));
            }
            store.deleteWraps(kind, subject, Bindings.RECOVERY_ITEM);
            Instant now = clock.instant();
            for (Wrap wrap : wraps) {
                store.insertWrap(new AccountKeyWrap(
                        kind, subject, wrap.accountKid(), Bindings.RECOVERY_ITEM, wrap.envelope(), now));
            }
            return store.wraps(kind, subject, Bindings.RECOVERY_ITEM);
        }));
    }

    /** The caller's account key(s) wrapped to their recovery code, newest first. */
    public List<AccountKeyWrap> recoveryWraps(Actor.Person actor) {
        SubjectKind kind = holderKind(actor);
        UUID subject = actor.subjectId();
        return Objects.requireNonNull(transactions.execute(status -> {
            require(actor, kind, subject, Action.READ);
            return store.wraps(kind, subject, Bindings.RECOVERY_ITEM);
        }));
    }

    private void storeWraps(SubjectKind kind, UUID subject, String deviceKid, List<Wrap> wraps, Instant now) {
        for (int i = 0; i < wraps.size(); i++) {
            Wrap wrap = wraps.get(i);
            if (!store.published(kind, subject, wrap.accountKid())) {
                throw new UnprocessableException("wraps[" + i + "].accountKid is not an encryption key the caller's"
                        + " directory entries ever published");
            }
            store.insertWrap(new AccountKeyWrap(
                    kind, subject, wrap.accountKid(), Bindings.deviceItem(deviceKid), wrap.envelope(), now));
        }
        if (!wraps.isEmpty()) {
            store.linked(kind, subject, deviceKid, now);
        }
    }

    private void refuseRemoved(SubjectKind kind, UUID subject, String deviceKid) {
        if (store.removed(kind, subject, deviceKid)) {
            throw new ConflictException("This device was removed from the account: its key is refused");
        }
    }

    private void checkRoom(SubjectKind kind, UUID subject) {
        if (store.deviceCount(kind, subject) >= MAX_DEVICES) {
            throw new ConflictException("At most " + MAX_DEVICES + " devices hold an account key");
        }
    }

    private static void checkDeviceWrap(
            String field, SubjectKind kind, UUID subject, String deviceKid, Envelope envelope) {
        String item = Bindings.deviceItem(deviceKid);
        EnvelopeShape.check(
                field,
                envelope,
                new EnvelopeShape.Expected(
                        EnvelopeShape.ECDH_ES,
                        deviceKid,
                        Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                        Bindings.accountBinding(kind, subject, item),
                        MAX_WRAPPED));
    }

    private static void checkRecoveryWrap(String field, SubjectKind kind, UUID subject, Envelope envelope) {
        EnvelopeShape.check(
                field,
                envelope,
                new EnvelopeShape.Expected(
                        EnvelopeShape.PBES2,
                        Bindings.RECOVERY_ITEM,
                        Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                        Bindings.accountBinding(kind, subject, Bindings.RECOVERY_ITEM),
                        MAX_WRAPPED));
    }

    /** Patients and practitioners hold an account key; an establishment's keys are its administrator's business. */
    private static SubjectKind holderKind(Actor.Person actor) {
        SubjectKind kind = KeyDirectory.kindOf(actor);
        if (kind == SubjectKind.ESTABLISHMENT) {
            throw new ForbiddenException(
                    "not-a-key-holder", "Only patients and practitioners hold an account key on their devices");
        }
        return kind;
    }

    /** A patient's devices and wraps are theirs alone, and each access is recorded in their access log. */
    private void require(Actor.Person actor, SubjectKind kind, UUID subject, Action action) {
        if (kind == SubjectKind.PATIENT) {
            access.require(AccessRequest.toAccount(
                    actor,
                    PatientRef.account(subject),
                    action,
                    Resource.ACCOUNT_KEY,
                    List.of(Field.ACCOUNT_KEY),
                    Purpose.SELF_SERVICE));
        }
    }
}
