package org.carnet.clients.internal;

import java.util.HexFormat;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.springframework.stereotype.Component;

/**
 * The {@code sub} of the ID tokens a program receives for a signed-in professional: a pairwise
 * pseudonym (OpenID Connect Core, section 8.1), stable for that program and that person, different for
 * every other program, and meaningless without Carnet's blind-index key (an HMAC-SHA-256 of the client
 * id and the login id, through {@link BlindIndex}). Two programs cannot match their users by it, and
 * it tells nothing of the person's login.
 */
@Component
public class PairwiseSubjects {

    /** Version 1: {@code s1} then 32 hex digits (the first 128 bits of the MAC). */
    static final String PREFIX = "s1";

    private static final String PURPOSE = "oidc-pairwise-subject";

    private final BlindIndex index;

    PairwiseSubjects(BlindIndex index) {
        this.index = index;
    }

    public String of(UUID clientId, UUID loginId) {
        byte[] mac = index.of(PURPOSE, clientId + "|" + loginId);
        // mac[0] is BlindIndex's format byte; the rest is the MAC.
        return PREFIX + HexFormat.of().formatHex(mac, 1, 17);
    }
}
