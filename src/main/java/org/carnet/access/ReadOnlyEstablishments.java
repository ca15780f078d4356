package org.carnet.access;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.carnet.shared.AfterTransaction;
import org.carnet.shared.EstablishmentReadOnlyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Establishments in read-only mode: a security officer's containment during an incident. While one is,
 * {@link AccessDecision} refuses every creation, change or deletion of its patients' data by a person or a
 * program, and the agenda refuses changes to its practitioners' hours, absences and slots; reads go on.
 *
 * <p>The flag is a row in the database, so every node sees it. Each node keeps the set of read-only
 * establishments in memory for {@link #CACHE} (2 seconds): the node that sets or lifts the flag forgets its
 * copy at once (and again once the transaction commits); the others follow within those 2 seconds.
 */
@Service
public class ReadOnlyEstablishments {

    /** How long a node trusts its memory of the set. */
    static final Duration CACHE = Duration.ofSeconds(2);

    private final JdbcClient jdbc;
    private final LoadingCache<Boolean, Set<UUID>> readOnly;

    ReadOnlyEstablishments(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.readOnly = Caffeine.newBuilder()
                .expireAfterWrite(CACHE)
                .build(any -> Set.copyOf(jdbc.sql("SELECT establishment_id FROM establishment_read_only")
                        .query(UUID.class)
                        .list()));
    }

    public boolean isReadOnly(UUID establishment) {
        return readOnly.get(Boolean.TRUE).contains(establishment);
    }

    /**
     * @throws EstablishmentReadOnlyException when the establishment is read-only
     */
    public void requireWritable(UUID establishment) {
        if (isReadOnly(establishment)) {
            throw new EstablishmentReadOnlyException();
        }
    }

    /**
     * Puts the establishment in read-only mode, in the caller's transaction.
     *
     * @return whether it was not read-only already
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean set(UUID establishment, UUID by, Instant at) {
        boolean set = jdbc.sql("SELECT COUNT(*) FROM establishment_read_only WHERE establishment_id = ?")
                                .param(establishment)
                                .query(Long.class)
                                .single()
                        == 0
                && jdbc.sql("INSERT INTO establishment_read_only (establishment_id, since, set_by) VALUES (?, ?, ?)")
                                .params(establishment, at.atOffset(ZoneOffset.UTC), by)
                                .update()
                        == 1;
        forget();
        return set;
    }

    /**
     * Lifts the read-only mode, in the caller's transaction.
     *
     * @return whether it was read-only
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean lift(UUID establishment) {
        boolean lifted = jdbc.sql("DELETE FROM establishment_read_only WHERE establishment_id = ?")
                        .param(establishment)
                        .update()
                > 0;
        forget();
        return lifted;
    }

    private void forget() {
        readOnly.invalidateAll();
        AfterTransaction.run(readOnly::invalidateAll);
    }
}
