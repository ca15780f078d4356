package org.carnet.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Crypto-shredding: destroying an owner's data keys makes every value sealed for it unreadable for
 * everyone, Carnet included, without touching the rows (backups and dumps taken before keep only
 * ciphertext whose key no longer exists anywhere but in older key backups, which the operator
 * destroys on their own schedule: see docs/operations.md). Afterwards opening one of its values, or
 * sealing a new one, throws {@link KeyShreddedException} (410 in the API). The node that shreds forgets
 * the keys at commit; every other node within {@link #REFRESH} (it reads the tombstones).
 */
@Service
public class KeyShredding {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final DataKeys dataKeys;
    private volatile OffsetDateTime seenUntil;

    KeyShredding(DataKeys dataKeys, Clock clock) {
        this.dataKeys = dataKeys;
        // Keys made before this node started cannot be cached yet; a little slack for clock skew.
        this.seenUntil =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minusMinutes(1);
    }

    /** Destroys the owner's data keys, in the caller's transaction (which records why and by whom). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void shred(KeyOwner owner) {
        dataKeys.shred(owner);
    }

    /** Whether the owner's data keys were destroyed. */
    public boolean isShredded(KeyOwner owner) {
        return dataKeys.isShredded(owner);
    }

    /** Forgets the keys of owners shredded by other nodes since the last look. */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void forgetShreddedElsewhere() {
        seenUntil = dataKeys.forgetShredded(seenUntil);
    }
}
