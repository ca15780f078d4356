package org.carnet.teleconsultation;

import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.crypto.KeyProvider;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.teleconsultation.internal.EntryHashing;
import org.carnet.teleconsultation.internal.KeyDirectoryStore;
import org.carnet.teleconsultation.internal.PublicJwks;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append-only key directory: patients and practitioners publish their own public keys, an
 * establishment's administrator the establishment's. Each publication is a new entry chained to the
 * subject's previous one and signed with Carnet's Ed25519 key (the key provider's signing key, under
 * its own domain string), so a client that pinned an entry sees any change, and a key replaced in the
 * database fails its signature. A patient's keys are theirs alone to publish and read, through the
 * access decision; a practitioner's and an establishment's are public to signed-in users.
 */
@Service
public class KeyDirectory {

    /** How many entries one read of a subject's history returns at most. */
    public static final int HISTORY_PAGE = 100;

    private final KeyDirectoryStore store;
    private final KeyProvider keys;
    private final AccessDecision access;
    private final TransactionTemplate transactions;
    private final Clock clock;

    KeyDirectory(
            KeyDirectoryStore store,
            KeyProvider keys,
            AccessDecision access,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.keys = keys;
        this.access = access;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The subject whose keys the actor publishes: a patient or practitioner themselves, an administrator their establishment. */
    public static SubjectKind kindOf(Actor.Person actor) {
        return switch (actor.role()) {
            case PATIENT -> SubjectKind.PATIENT;
            case PRACTITIONER -> SubjectKind.PRACTITIONER;
            case ESTABLISHMENT_ADMIN -> SubjectKind.ESTABLISHMENT;
            default ->
                throw new ForbiddenException(
                        "not-a-key-holder",
                        "Only patients, practitioners and establishment administrators publish keys");
        };
    }

    private static UUID subjectOf(Actor.Person actor) {
        return actor.role() == Role.ESTABLISHMENT_ADMIN ? actor.professionalEstablishmentId() : actor.subjectId();
    }

    /**
     * Publishes the actor's (or their establishment's) keys as a new entry. Publishing the very keys of
     * the latest entry again changes nothing and answers it.
     *
     * @throws ConflictException when another publication for the same subject committed meanwhile
     */
    public KeyDirectoryEntry publish(
            Actor.Person actor, Map<String, Object> encryptionJwk, Map<String, Object> signingJwk) {
        SubjectKind kind = kindOf(actor);
        UUID subject = subjectOf(actor);
        PublicJwks.Canonical encryption = PublicJwks.encryption("encryptionKey", encryptionJwk);
        PublicJwks.Canonical signing = PublicJwks.signing("signingKey", signingJwk);
        if (encryption.kid().equals(signing.kid())) {
            throw new org.carnet.shared.InvalidRequestException(
                    "signingKey", "must be another key than the encryption key");
        }
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                if (kind == SubjectKind.PATIENT) {
                    access.require(patientKeys(actor, subject, Action.CREATE));
                }
                Optional<KeyDirectoryEntry> latest = store.latest(kind, subject);
                if (latest.isPresent()
                        && latest.get().encryptionJwk().equals(encryption.json())
                        && latest.get().signingJwk().equals(signing.json())) {
                    return latest.get();
                }
                int version = latest.map(e -> e.version() + 1).orElse(1);
                byte[] prev = latest.map(KeyDirectoryEntry::entryHash).orElse(EntryHashing.GENESIS);
                Instant at = EntryHashing.truncated(clock.instant());
                byte[] hash = EntryHashing.entryHash(
                        kind.name(), subject, version, prev, encryption.json(), signing.json(), at);
                KeyPair server = keys.checkpointSigningKey();
                KeyDirectoryEntry entry = new KeyDirectoryEntry(
                        kind,
                        subject,
                        version,
                        encryption.json(),
                        encryption.kid(),
                        signing.json(),
                        signing.kid(),
                        at,
                        prev,
                        hash,
                        keys.checkpointSigningKeyId(),
                        EntryHashing.sign(server.getPrivate(), hash));
                store.insert(entry, actor.userId());
                return entry;
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("Keys were published for this subject meanwhile; read them and retry");
        }
    }

    /** The subject's current entry, read by a signed-in user (a patient's only by that patient). */
    public KeyDirectoryEntry current(Actor.Person reader, SubjectKind kind, UUID subject) {
        return Objects.requireNonNull(transactions.execute(status -> {
            checkReader(reader, kind, subject);
            return store.latest(kind, subject).orElseThrow(() -> new NotFoundException("Keys"));
        }));
    }

    /** The subject's entries from a version on, oldest first (at most {@link #HISTORY_PAGE}). */
    public List<KeyDirectoryEntry> history(Actor.Person reader, SubjectKind kind, UUID subject, int fromVersion) {
        return Objects.requireNonNull(transactions.execute(status -> {
            checkReader(reader, kind, subject);
            return store.from(kind, subject, Math.max(1, fromVersion), HISTORY_PAGE);
        }));
    }

    /** The subject's current entry for the server's own checks (wrapping recipients), no reader involved. */
    Optional<KeyDirectoryEntry> latest(SubjectKind kind, UUID subject) {
        return store.latest(kind, subject);
    }

    /** One version of the subject's entries for the server's own checks, no reader involved. */
    Optional<KeyDirectoryEntry> version(SubjectKind kind, UUID subject, int version) {
        return store.from(kind, subject, version, 1).stream()
                .filter(e -> e.version() == version)
                .findFirst();
    }

    /** The key that verifies entries signed under this id, or {@code null}. */
    public @Nullable PublicKey verificationKey(String keyId) {
        return keys.checkpointVerificationKey(keyId);
    }

    /** The id and public key of the key signing new entries. */
    public Map.Entry<String, PublicKey> signingKey() {
        return Map.entry(
                keys.checkpointSigningKeyId(), keys.checkpointSigningKey().getPublic());
    }

    /** Whether an entry's hash and signature hold (the server's own check; clients do the same, docs/e2e.md). */
    public boolean verifies(KeyDirectoryEntry entry) {
        byte[] hash = EntryHashing.entryHash(
                entry.subjectKind().name(),
                entry.subjectId(),
                entry.version(),
                entry.prevHash(),
                entry.encryptionJwk(),
                entry.signingJwk(),
                entry.publishedAt());
        PublicKey key = verificationKey(entry.serverKeyId());
        return java.security.MessageDigest.isEqual(hash, entry.entryHash())
                && key != null
                && EntryHashing.verify(key, hash, entry.serverSignature());
    }

    private void checkReader(Actor.Person reader, SubjectKind kind, UUID subject) {
        if (kind == SubjectKind.PATIENT) {
            // A patient's keys are personal data: theirs alone, and the access is recorded.
            access.require(patientKeys(reader, subject, Action.READ));
        }
    }

    private static AccessRequest patientKeys(Actor.Person actor, UUID patientAccount, Action action) {
        return AccessRequest.toAccount(
                actor,
                PatientRef.account(patientAccount),
                action,
                Resource.PUBLIC_KEY,
                List.of(Field.PUBLIC_KEY),
                Purpose.SELF_SERVICE);
    }
}
