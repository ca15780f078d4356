package org.carnet.clients;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.crypto.BlindIndex;
import org.carnet.shared.Actor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The pseudonymous patient id a program sees instead of a patient file's id: stable for that program,
 * different for every other, and meaningless without Carnet's blind-index key (an HMAC-SHA-256 of the
 * client id and the file id, through {@link BlindIndex}). Served pseudonyms are remembered, so that the
 * program can name a patient back (read it, book for it); an unknown pseudonym names no one.
 */
@Service
public class ClientPseudonyms {

    /** Version 1: {@code p1} then 32 hex digits (the first 128 bits of the MAC); a valid FHIR id. */
    static final String PREFIX = "p1";

    private static final Pattern SHAPE = Pattern.compile("p1[0-9a-f]{32}");
    private static final String PURPOSE = "fhir-patient";

    private final BlindIndex index;
    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ClientPseudonyms(BlindIndex index, JdbcClient jdbc, JdbcTemplate batch) {
        this.index = index;
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /** The program's pseudonym of this file, not remembered (see {@link #serve}). */
    public String of(Actor.Client client, UUID fileId) {
        byte[] mac = index.of(PURPOSE, client.clientId() + "|" + fileId);
        // mac[0] is BlindIndex's format byte; the rest is the MAC.
        return PREFIX + HexFormat.of().formatHex(mac, 1, 17);
    }

    /** The pseudonyms of these files for the program, remembered (in the caller's transaction if any). */
    @Transactional
    public Map<UUID, String> serve(Actor.Client client, Collection<UUID> fileIds) {
        Map<UUID, String> pseudonyms = new LinkedHashMap<>();
        for (UUID file : new LinkedHashSet<>(fileIds)) {
            pseudonyms.put(file, of(client, file));
        }
        if (!pseudonyms.isEmpty()) {
            batch.batchUpdate(
                    "INSERT INTO third_party_client_pseudonyms (establishment_id, client_id, pseudonym,"
                            + " patient_file_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    pseudonyms.entrySet().stream()
                            .map(e -> new Object[] {
                                client.establishment().value(), client.clientId(), e.getValue(), e.getKey()
                            })
                            .toList());
        }
        return pseudonyms;
    }

    /** The file the program's pseudonym stands for, if it was served to this program. */
    public Optional<UUID> file(Actor.Client client, String pseudonym) {
        if (!SHAPE.matcher(pseudonym).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT patient_file_id FROM third_party_client_pseudonyms WHERE establishment_id = ?"
                        + " AND client_id = ? AND pseudonym = ?")
                .params(client.establishment().value(), client.clientId(), pseudonym)
                .query(UUID.class)
                .optional()
                // A row is trusted only if it is still this program's pseudonym of that file.
                .filter(file -> java.security.MessageDigest.isEqual(
                        of(client, file).getBytes(StandardCharsets.US_ASCII),
                        pseudonym.getBytes(StandardCharsets.US_ASCII)));
    }
}
