package org.carnet.teleconsultation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.directory.Departures;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.EstablishmentKeyWrap.RecipientKind;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.carnet.teleconsultation.internal.EstablishmentKeyStore;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An establishment's key (the private keys of its directory entry), for continuity of care (docs/e2e.md,
 * "The establishment key"): made in its administrator's browser and held by Carnet only wrapped, in the
 * account-key envelope whose account is the establishment: under the establishment's offline recovery code
 * (PBES2-HS512+A256KW), which only the administrator keeps, on paper; and to the account encryption key of
 * each of its practitioners (ECDH-ES+A256KW), who open with it the establishment's wrap of a consultation
 * key. The administrator's login holds nothing that opens it (their page keeps no private key). A departed
 * practitioner is wrapped nothing more and served none of the wraps; the next version, made at the
 * administrator's next visit, is one they never had.
 */
@Service
public class EstablishmentKeys {

    /** An establishment key wrapped (private JWKs in a JWE): a few hundred bytes, as an account key. */
    private static final int MAX_WRAPPED = 1024;

    /** A version of the establishment key wrapped to one practitioner, as the administrator's client uploads it. */
    public record PractitionerWrap(int keyVersion, UUID practitionerId, Envelope envelope) {}

    /** One practitioner of the establishment as the administrator's page sees them. */
    public record PractitionerState(
            UUID practitionerId,
            String name,
            @Nullable Integer accountKeyVersion,
            @Nullable String accountKid,
            @Nullable Instant departedAt,
            List<Integer> wrappedVersions,
            List<Integer> missingVersions) {}

    /**
     * The establishment key's state: its current directory entry (none yet), the versions wrapped under the
     * recovery code, whether a practitioner who left holds the current version (a rotation is due), and each
     * practitioner.
     */
    public record Status(
            UUID establishmentId,
            @Nullable KeyDirectoryEntry current,
            List<Integer> recoveryVersions,
            boolean rotationDue,
            List<PractitionerState> practitioners) {}

    /** What a set-up or a rotation stored: the new directory entry and its wraps. */
    public record SetUp(KeyDirectoryEntry entry, List<EstablishmentKeyWrap> wraps) {}

    private final EstablishmentKeyStore store;
    private final KeyDirectory keyDirectory;
    private final Directory directory;
    private final Departures departures;
    private final TransactionTemplate transactions;
    private final Clock clock;

    EstablishmentKeys(
            EstablishmentKeyStore store,
            KeyDirectory keyDirectory,
            Directory directory,
            Departures departures,
            TransactionTemplate transactions,
            Clock clock) {
        this.store = store;
        this.keyDirectory = keyDirectory;
        this.directory = directory;
        this.departures = departures;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The establishment key's state, for its administrator. */
    public Status status(Actor.Person admin) {
        UUID establishment = administered(admin);
        return Objects.requireNonNull(transactions.execute(status -> status(establishment)));
    }

    /**
     * Publishes a new version of the establishment key (the first, or a rotation) with its wraps, all or
     * nothing: the public keys become the establishment's next directory entry, the private keys are stored
     * wrapped under the recovery code and to the listed practitioners' current account keys.
     *
     * @throws ConflictException when these keys are the current ones already, or another publication won
     */
    public SetUp setUp(
            Actor.Person admin,
            Map<String, Object> encryptionJwk,
            Map<String, Object> signingJwk,
            Envelope recoveryWrap,
            List<PractitionerWrap> wraps) {
        UUID establishment = administered(admin);
        checkRecoveryWrap("recoveryWrap", establishment, recoveryWrap);
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                int before = keyDirectory
                        .latest(SubjectKind.ESTABLISHMENT, establishment)
                        .map(KeyDirectoryEntry::version)
                        .orElse(0);
                KeyDirectoryEntry entry = keyDirectory.publish(admin, encryptionJwk, signingJwk);
                if (entry.version() <= before) {
                    throw new ConflictException("These are the establishment's current keys already");
                }
                for (int i = 0; i < wraps.size(); i++) {
                    if (wraps.get(i).keyVersion() != entry.version()) {
                        throw new UnprocessableException(
                                "wraps[" + i + "].keyVersion must be the new version, " + entry.version());
                    }
                }
                Instant now = clock.instant();
                List<EstablishmentKeyWrap> stored = new ArrayList<>();
                EstablishmentKeyWrap recovery = new EstablishmentKeyWrap(
                        establishment, entry.version(), RecipientKind.RECOVERY, establishment, null, recoveryWrap, now);
                store.insert(recovery, admin.userId());
                stored.add(recovery);
                stored.addAll(storeWraps(admin, establishment, wraps, now));
                return new SetUp(entry, stored);
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("Keys were published for this establishment meanwhile; read them and retry");
        }
    }

    /**
     * Stores versions of the establishment key wrapped to practitioners who hold none of them yet (who joined
     * later, or made their account key later): each wrap to the practitioner's current account key.
     */
    public List<EstablishmentKeyWrap> wrap(Actor.Person admin, List<PractitionerWrap> wraps) {
        UUID establishment = administered(admin);
        if (wraps.isEmpty()) {
            throw new InvalidRequestException("wraps", "must hold at least one wrap");
        }
        try {
            return Objects.requireNonNull(transactions.execute(status -> {
                for (int i = 0; i < wraps.size(); i++) {
                    int version = wraps.get(i).keyVersion();
                    if (keyDirectory
                            .version(SubjectKind.ESTABLISHMENT, establishment, version)
                            .isEmpty()) {
                        throw new UnprocessableException(
                                "wraps[" + i + "].keyVersion is not a version of the establishment's key");
                    }
                }
                return storeWraps(admin, establishment, wraps, clock.instant());
            }));
        } catch (DuplicateKeyException e) {
            throw new ConflictException("This version is already wrapped to this practitioner");
        }
    }

    /** The establishment key's versions wrapped under the recovery code, newest first: for the administrator's page. */
    public List<EstablishmentKeyWrap> recoveryWraps(Actor.Person admin) {
        UUID establishment = administered(admin);
        return Objects.requireNonNull(
                transactions.execute(status -> store.to(establishment, RecipientKind.RECOVERY, establishment)));
    }

    /**
     * The establishment key's versions wrapped to the calling practitioner, newest first. A practitioner who
     * left the establishment gets not found: nothing is served to them any more.
     */
    public List<EstablishmentKeyWrap> mine(Actor.Person practitioner) {
        if (practitioner.role() != Role.PRACTITIONER) {
            throw new ForbiddenException(
                    "not-a-practitioner", "Only an establishment's practitioners hold its key wrapped to them");
        }
        UUID establishment = practitioner.professionalEstablishmentId();
        return Objects.requireNonNull(transactions.execute(status -> {
            if (departures.departedAt(establishment, practitioner.subjectId()).isPresent()) {
                throw new NotFoundException("Key");
            }
            return store.to(establishment, RecipientKind.PRACTITIONER, practitioner.subjectId());
        }));
    }

    private Status status(UUID establishment) {
        Optional<KeyDirectoryEntry> current = keyDirectory.latest(SubjectKind.ESTABLISHMENT, establishment);
        List<EstablishmentKeyWrap> wraps = store.all(establishment);
        List<Integer> recovery = wraps.stream()
                .filter(w -> w.recipientKind() == RecipientKind.RECOVERY)
                .map(EstablishmentKeyWrap::keyVersion)
                .toList();
        Map<UUID, Instant> departed = departures.of(establishment);
        boolean rotationDue = current.isPresent()
                && wraps.stream()
                        .anyMatch(w -> w.recipientKind() == RecipientKind.PRACTITIONER
                                && w.keyVersion() == current.get().version()
                                && departed.containsKey(w.recipientId()));
        List<PractitionerState> practitioners = new ArrayList<>();
        for (Practitioner p : directory.practitionersOf(establishment)) {
            Optional<KeyDirectoryEntry> account = keyDirectory.latest(SubjectKind.PRACTITIONER, p.id());
            List<Integer> wrapped = wraps.stream()
                    .filter(w -> w.recipientKind() == RecipientKind.PRACTITIONER
                            && w.recipientId().equals(p.id()))
                    .map(EstablishmentKeyWrap::keyVersion)
                    .toList();
            Instant left = departed.get(p.id());
            List<Integer> missing = left == null && account.isPresent()
                    ? recovery.stream().filter(v -> !wrapped.contains(v)).toList()
                    : List.of();
            practitioners.add(new PractitionerState(
                    p.id(),
                    p.displayName(),
                    account.map(KeyDirectoryEntry::version).orElse(null),
                    account.map(KeyDirectoryEntry::encryptionKid).orElse(null),
                    left,
                    wrapped,
                    missing));
        }
        return new Status(establishment, current.orElse(null), recovery, rotationDue, practitioners);
    }

    /** Each wrap to a practitioner of this establishment who has not left, bound to them and to their current key. */
    private List<EstablishmentKeyWrap> storeWraps(
            Actor.Person admin, UUID establishment, List<PractitionerWrap> wraps, Instant now) {
        List<EstablishmentKeyWrap> stored = new ArrayList<>();
        for (int i = 0; i < wraps.size(); i++) {
            PractitionerWrap wrap = wraps.get(i);
            String field = "wraps[" + i + "]";
            boolean ours = directory
                    .practitioner(wrap.practitionerId())
                    .filter(p -> p.establishmentId().equals(establishment))
                    .isPresent();
            if (!ours) {
                throw new UnprocessableException(field + ".practitionerId is not a practitioner of the establishment");
            }
            if (departures.departedAt(establishment, wrap.practitionerId()).isPresent()) {
                throw new UnprocessableException(
                        field + ".practitionerId left the establishment: nothing is wrapped to them any more");
            }
            KeyDirectoryEntry account = keyDirectory
                    .latest(SubjectKind.PRACTITIONER, wrap.practitionerId())
                    .orElseThrow(
                            () -> new UnprocessableException(field + ".practitionerId has published no account key"));
            EnvelopeShape.check(
                    field + ".envelope",
                    wrap.envelope(),
                    new EnvelopeShape.Expected(
                            EnvelopeShape.ECDH_ES,
                            account.encryptionKid(),
                            Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                            Bindings.accountBinding(
                                    SubjectKind.ESTABLISHMENT,
                                    establishment,
                                    Bindings.recipientItem(SubjectKind.PRACTITIONER, wrap.practitionerId())),
                            MAX_WRAPPED));
            EstablishmentKeyWrap row = new EstablishmentKeyWrap(
                    establishment,
                    wrap.keyVersion(),
                    RecipientKind.PRACTITIONER,
                    wrap.practitionerId(),
                    account.version(),
                    wrap.envelope(),
                    now);
            store.insert(row, admin.userId());
            stored.add(row);
        }
        return stored;
    }

    private static void checkRecoveryWrap(String field, UUID establishment, Envelope envelope) {
        EnvelopeShape.check(
                field,
                envelope,
                new EnvelopeShape.Expected(
                        EnvelopeShape.PBES2,
                        Bindings.RECOVERY_ITEM,
                        Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                        Bindings.accountBinding(SubjectKind.ESTABLISHMENT, establishment, Bindings.RECOVERY_ITEM),
                        MAX_WRAPPED));
    }

    /** The administrator's establishment; anyone else is refused (403). */
    private static UUID administered(Actor.Person actor) {
        if (actor.role() != Role.ESTABLISHMENT_ADMIN) {
            throw new ForbiddenException(
                    "not-an-administrator", "Only the establishment's administrator makes and wraps its key");
        }
        return actor.professionalEstablishmentId();
    }
}
