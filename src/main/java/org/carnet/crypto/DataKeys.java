package org.carnet.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Each owner's data keys, stored wrapped by a master key and kept unwrapped in memory once read.
 * A key is created on first use; two nodes creating the same owner's key at once both end up with
 * the one that reached the database first.
 */
@Component
class DataKeys {

    static final byte WRAP_FORMAT_V1 = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    record DataKey(int version, SecretKey key) {}

    private record Versioned(KeyOwner owner, int version) {}

    private final JdbcClient jdbc;
    private final KeyProvider keyProvider;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<KeyOwner, DataKey> current = new ConcurrentHashMap<>();
    private final Map<Versioned, SecretKey> byVersion = new ConcurrentHashMap<>();
    /** The newest version known of each owner's key made by a rotation: an older one is never cached as current. */
    private final Map<KeyOwner, Integer> rotated = new ConcurrentHashMap<>();

    DataKeys(JdbcClient jdbc, KeyProvider keyProvider, SecureRandom random, Clock clock) {
        this.jdbc = jdbc;
        this.keyProvider = keyProvider;
        this.random = random;
        this.clock = clock;
    }

    /** The owner's current data key, created if the owner has none yet. */
    DataKey current(KeyOwner owner) {
        DataKey cached = current.get(owner);
        if (cached != null) {
            return cached;
        }
        Map<KeyOwner, DataKey> uncommitted = uncommitted();
        DataKey seen = uncommitted == null ? null : uncommitted.get(owner);
        if (seen != null) {
            return seen; // read or made earlier in this transaction: not cached for others before its commit
        }
        DataKey stored = loadLatest(owner);
        if (stored == null) {
            refuseIfShredded(owner);
            insertIfAbsent(owner);
            stored = Objects.requireNonNull(loadLatest(owner), "the data key just inserted");
        }
        remember(owner, stored);
        return stored;
    }

    /** The owner's data key of the given version, as named in a ciphertext. */
    SecretKey version(KeyOwner owner, int version) {
        SecretKey cached = byVersion.get(new Versioned(owner, version));
        if (cached != null) {
            return cached;
        }
        DataKey loaded = jdbc.sql("SELECT version, master_key, wrapped_key FROM data_keys"
                        + " WHERE owner_type = ? AND owner_id = ? AND version = ?")
                .params(owner.type().name(), owner.id(), version)
                .query((rs, n) ->
                        new DataKey(rs.getInt(1), unwrap(owner, rs.getInt(1), rs.getString(2), rs.getBytes(3))))
                .optional()
                .orElseThrow(() -> {
                    refuseIfShredded(owner);
                    return new IllegalStateException("No such data key version");
                });
        afterCommit(() -> byVersion.putIfAbsent(new Versioned(owner, version), loaded.key()));
        return loaded.key();
    }

    /**
     * Destroys every version of the owner's data key, in the caller's transaction, and leaves a
     * tombstone so that no new key is ever made for it; an establishment's blind-index key goes with
     * its data keys, under the same tombstone. This node forgets the keys at once; the others when
     * they next read the tombstones ({@link #forgetShredded}).
     */
    void shred(KeyOwner owner) {
        if (owner.type() == KeyOwner.Type.ESTABLISHMENT_INDEX) {
            throw new IllegalArgumentException("A blind-index key is destroyed with its establishment's data keys");
        }
        jdbc.sql("INSERT INTO shredded_key_owners (owner_type, owner_id, shredded_at) VALUES (?, ?, ?)")
                .params(
                        owner.type().name(),
                        owner.id(),
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
        for (KeyOwner destroyed : withIndexKey(owner)) {
            jdbc.sql("DELETE FROM data_keys WHERE owner_type = ? AND owner_id = ?")
                    .params(destroyed.type().name(), destroyed.id())
                    .update();
            Map<KeyOwner, DataKey> uncommitted = uncommitted();
            if (uncommitted != null) {
                uncommitted.remove(destroyed);
            }
        }
        afterCommit(() -> forget(owner));
    }

    /** The owner, and for an establishment its blind-index key's owner too: what shredding it destroys. */
    private static java.util.List<KeyOwner> withIndexKey(KeyOwner owner) {
        return owner.type() == KeyOwner.Type.ESTABLISHMENT
                ? java.util.List.of(owner, KeyOwner.establishmentIndex(owner.id()))
                : java.util.List.of(owner);
    }

    /** Drops from memory the keys of owners shredded at or after {@code since} (by any node); the newest time seen. */
    OffsetDateTime forgetShredded(OffsetDateTime since) {
        OffsetDateTime[] newest = {since};
        jdbc.sql("SELECT owner_type, owner_id, shredded_at FROM shredded_key_owners WHERE shredded_at >= ?")
                .param(since)
                .query(rs -> {
                    forget(new KeyOwner(KeyOwner.Type.valueOf(rs.getString(1)), rs.getObject(2, java.util.UUID.class)));
                    OffsetDateTime at = rs.getObject(3, OffsetDateTime.class);
                    if (at.isAfter(newest[0])) {
                        newest[0] = at;
                    }
                });
        return newest[0];
    }

    private void forget(KeyOwner owner) {
        for (KeyOwner destroyed : withIndexKey(owner)) {
            current.remove(destroyed);
            byVersion.keySet().removeIf(versioned -> versioned.owner().equals(destroyed));
        }
    }

    /** Whether the owner's keys were destroyed (an establishment's blind-index key: its establishment's). */
    boolean isShredded(KeyOwner owner) {
        KeyOwner tombstone = owner.shreddedWith();
        return jdbc.sql("SELECT COUNT(*) FROM shredded_key_owners WHERE owner_type = ? AND owner_id = ?")
                        .params(tombstone.type().name(), tombstone.id())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    private void refuseIfShredded(KeyOwner owner) {
        if (isShredded(owner)) {
            throw new KeyShreddedException(owner.shreddedWith());
        }
    }

    private @Nullable DataKey loadLatest(KeyOwner owner) {
        return jdbc.sql("SELECT version, master_key, wrapped_key FROM data_keys"
                        + " WHERE owner_type = ? AND owner_id = ? ORDER BY version DESC LIMIT 1")
                .params(owner.type().name(), owner.id())
                .query((rs, n) ->
                        new DataKey(rs.getInt(1), unwrap(owner, rs.getInt(1), rs.getString(2), rs.getBytes(3))))
                .optional()
                .orElse(null);
    }

    private void insertIfAbsent(KeyOwner owner) {
        // ON CONFLICT keeps the caller's transaction usable when another request created it first.
        insert(owner, 1, " ON CONFLICT DO NOTHING");
    }

    private void insert(KeyOwner owner, int version, String onConflict) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String masterKeyId = keyProvider.currentMasterKeyId();
        byte[] wrapped = wrap(owner, version, masterKeyId, new SecretKeySpec(raw, "AES"));
        jdbc.sql("INSERT INTO data_keys (owner_type, owner_id, version, master_key, wrapped_key, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)" + onConflict)
                .params(
                        owner.type().name(),
                        owner.id(),
                        version,
                        masterKeyId,
                        wrapped,
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .update();
    }

    /** The owner's newest data key version; 0 when it has none. */
    int latestVersion(KeyOwner owner) {
        Integer latest = jdbc.sql("SELECT MAX(version) FROM data_keys WHERE owner_type = ? AND owner_id = ?")
                .params(owner.type().name(), owner.id())
                .query(Integer.class)
                .optional()
                .orElse(null);
        return latest == null ? 0 : latest;
    }

    /**
     * Makes the owner's next data key version, in the caller's transaction if any, and seals with it from then
     * on: on this node at once, on the others within {@link KeyShredding#REFRESH} ({@link #forgetRotated}). Two
     * rotations of one owner at once: the second fails on the table's primary key.
     *
     * @return the new version
     */
    int addVersion(KeyOwner owner) {
        if (owner.type() == KeyOwner.Type.ESTABLISHMENT_INDEX) {
            // Every stored index would stop matching: a new blind-index key needs a re-index, not a rotation.
            throw new IllegalArgumentException("A blind-index key is not rotated");
        }
        refuseIfShredded(owner);
        int next = latestVersion(owner) + 1;
        if (next == 1) {
            throw new IllegalStateException("The owner has no data key to rotate");
        }
        insert(owner, next, "");
        newer(owner, next);
        return next;
    }

    /**
     * Stops sealing with an owner's older key when another node made a newer version in the last {@link
     * #ROTATION_LOOKBACK} (by the creation times it wrote: the margin covers clocks that differ a little).
     */
    void forgetRotated() {
        OffsetDateTime since =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(ROTATION_LOOKBACK);
        jdbc.sql("SELECT owner_type, owner_id, MAX(version) FROM data_keys WHERE created_at >= ? AND version > 1"
                        + " GROUP BY owner_type, owner_id")
                .param(since)
                .query(rs -> {
                    newer(
                            new KeyOwner(KeyOwner.Type.valueOf(rs.getString(1)), rs.getObject(2, java.util.UUID.class)),
                            rs.getInt(3));
                });
    }

    static final java.time.Duration ROTATION_LOOKBACK = java.time.Duration.ofMinutes(2);

    private void newer(KeyOwner owner, int version) {
        rotated.merge(owner, version, Math::max);
        current.computeIfPresent(owner, (o, cached) -> cached.version() < version ? null : cached);
    }

    /** A data key as stored: whose, which version, and the master key that wraps it. */
    record Wrapped(KeyOwner owner, int version, String masterKey, byte[] wrappedKey) {}

    /** How many data keys a master key other than this one wraps. */
    long countWrappedByOthers(String masterKeyId) {
        return jdbc.sql("SELECT COUNT(*) FROM data_keys WHERE master_key <> ?")
                .param(masterKeyId)
                .query(Long.class)
                .single();
    }

    /** How many data keys each master key wraps. */
    Map<String, Long> countByMasterKey() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.sql("SELECT master_key, COUNT(*) FROM data_keys GROUP BY master_key")
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Where a pass over {@code data_keys} is: the last key it looked at, in primary key order. */
    record Position(String ownerType, java.util.UUID ownerId, int version) {
        static final Position START = new Position("", new java.util.UUID(Long.MIN_VALUE, Long.MIN_VALUE), 0);
    }

    /** One batch of {@link #rewrap}: how many it re-wrapped, and where the next one starts (null: at the end). */
    record Rewrapped(int count, @Nullable Position next) {}

    /**
     * Re-wraps, under this master key, up to {@code limit} data keys after {@code from} that another master
     * key wraps, in the caller's transaction; the data keys themselves do not change, so nothing sealed with
     * them changes either.
     */
    Rewrapped rewrap(String masterKeyId, Position from, int limit) {
        java.util.List<Wrapped> batch = jdbc.sql(
                        "SELECT owner_type, owner_id, version, master_key, wrapped_key FROM data_keys"
                                + " WHERE master_key <> ? AND (owner_type > ? OR (owner_type = ? AND (owner_id > ?"
                                + " OR (owner_id = ? AND version > ?))))"
                                + " ORDER BY owner_type, owner_id, version LIMIT ?")
                .params(
                        masterKeyId,
                        from.ownerType(),
                        from.ownerType(),
                        from.ownerId(),
                        from.ownerId(),
                        from.version(),
                        limit)
                .query((rs, n) -> new Wrapped(
                        new KeyOwner(KeyOwner.Type.valueOf(rs.getString(1)), rs.getObject(2, java.util.UUID.class)),
                        rs.getInt(3),
                        rs.getString(4),
                        rs.getBytes(5)))
                .list();
        int done = 0;
        for (Wrapped row : batch) {
            SecretKey key = unwrap(row.owner(), row.version(), row.masterKey(), row.wrappedKey());
            // Only if nobody changed it meanwhile (shredded, or re-wrapped by another run).
            done += jdbc.sql("UPDATE data_keys SET master_key = ?, wrapped_key = ? WHERE owner_type = ?"
                            + " AND owner_id = ? AND version = ? AND master_key = ?")
                    .params(
                            masterKeyId,
                            wrap(row.owner(), row.version(), masterKeyId, key),
                            row.owner().type().name(),
                            row.owner().id(),
                            row.version(),
                            row.masterKey())
                    .update();
        }
        if (batch.size() < limit) {
            return new Rewrapped(done, null);
        }
        Wrapped last = batch.get(batch.size() - 1);
        return new Rewrapped(
                done, new Position(last.owner().type().name(), last.owner().id(), last.version()));
    }

    /**
     * Caches a key for every request only once it is known to be committed (a rolled-back key must not
     * be used again), and for the rest of its own transaction at once: a first booking seals a new
     * patient file's fields with a key made in the same transaction, and would otherwise read it back
     * from the database for each field.
     */
    private void remember(KeyOwner owner, DataKey key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            cacheCurrent(owner, key);
            byVersion.putIfAbsent(new Versioned(owner, key.version()), key.key());
            return;
        }
        Map<KeyOwner, DataKey> uncommitted = uncommitted();
        if (uncommitted == null) {
            Map<KeyOwner, DataKey> made = new java.util.HashMap<>();
            TransactionSynchronizationManager.bindResource(this, made);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    made.forEach((owner, key) -> {
                        cacheCurrent(owner, key);
                        byVersion.putIfAbsent(new Versioned(owner, key.version()), key.key());
                    });
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(DataKeys.this);
                }
            });
            uncommitted = made;
        }
        uncommitted.putIfAbsent(owner, key);
    }

    /**
     * Caches the owner's current key unless a rotation made a newer one meanwhile (a transaction that read the
     * old one before the rotation may commit after it).
     */
    private void cacheCurrent(KeyOwner owner, DataKey key) {
        if (key.version() >= rotated.getOrDefault(owner, 0)) {
            current.putIfAbsent(owner, key);
        }
    }

    /** The keys read or made in the current transaction, not yet committed; null outside one. */
    @SuppressWarnings("unchecked")
    private @Nullable Map<KeyOwner, DataKey> uncommitted() {
        return (Map<KeyOwner, DataKey>) TransactionSynchronizationManager.getResource(this);
    }

    private static void afterCommit(Runnable cache) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.run();
                }
            });
        } else {
            cache.run();
        }
    }

    private byte[] wrap(KeyOwner owner, int version, String masterKeyId, SecretKey dataKey) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = keyProvider.masterKeyCipher(masterKeyId);
            cipher.init(Cipher.ENCRYPT_MODE, keyProvider.masterKey(masterKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(wrapAad(owner, version, masterKeyId));
            byte[] sealed = cipher.doFinal(dataKey.getEncoded());
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length)
                    .put(WRAP_FORMAT_V1)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap a data key", e);
        }
    }

    private SecretKey unwrap(KeyOwner owner, int version, String masterKeyId, byte[] wrapped) {
        if (wrapped.length < 1 + IV_BYTES || wrapped[0] != WRAP_FORMAT_V1) {
            throw new IllegalStateException("Unknown wrapped data key format");
        }
        try {
            Cipher cipher = keyProvider.masterKeyCipher(masterKeyId);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    keyProvider.masterKey(masterKeyId),
                    new GCMParameterSpec(TAG_BITS, wrapped, 1, IV_BYTES));
            cipher.updateAAD(wrapAad(owner, version, masterKeyId));
            byte[] raw = cipher.doFinal(wrapped, 1 + IV_BYTES, wrapped.length - 1 - IV_BYTES);
            return new SecretKeySpec(raw, owner.type() == KeyOwner.Type.ESTABLISHMENT_INDEX ? "HmacSHA256" : "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot unwrap a data key", e);
        }
    }

    private static byte[] wrapAad(KeyOwner owner, int version, String masterKeyId) {
        return ("data-key/" + owner.type() + "/" + owner.id() + "/" + version + "/" + masterKeyId)
                .getBytes(StandardCharsets.UTF_8);
    }
}
