package org.carnet.audit;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Which chain an entry belongs to: its establishment's, or the platform's for account-level data. */
final class ChainKeys {

    /** The chain of platform-level entries (patient accounts, sign-ups, platform staff). */
    static final UUID PLATFORM = new UUID(0, 0);

    private ChainKeys() {}

    static UUID of(@Nullable UUID establishmentId) {
        return establishmentId == null ? PLATFORM : establishmentId;
    }
}
