package org.carnet.patients;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.carnet.patients.internal.FileIndexes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Which files of one establishment match an exact identity, by blind indexes only: ids, never a value,
 * and nothing decided yet. Whoever asks then opens each file through the access decision (for a
 * program: {@link PatientFiles#forProgram}), which alone says what of it may be seen, and records it.
 */
@Service
public class FileLookups {

    /** At most this many files per look-up: an identity names one patient, rarely a few. */
    public static final int MAX_RESULTS = 50;

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final FileIndexes indexes;

    FileLookups(JdbcClient jdbc, BlindIndex blindIndex, FileIndexes indexes) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.indexes = indexes;
    }

    /**
     * The establishment's files of the accounts that registered this NIR (a file made over the phone has
     * none), oldest first.
     */
    public List<UUID> byNir(UUID establishmentId, Nir nir) {
        List<byte[]> accounts = jdbc
                .sql("SELECT id FROM patient_accounts WHERE nir_index = ?")
                .param(blindIndex.of(Nir.INDEX_PURPOSE, nir.value()))
                .query(UUID.class)
                .list()
                .stream()
                .map(account -> indexes.account(establishmentId, account))
                .toList();
        if (accounts.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT id FROM patient_files WHERE establishment_id = :establishment AND account_index IN"
                        + " (:accounts) ORDER BY created_at, id LIMIT " + MAX_RESULTS)
                .param("establishment", establishmentId)
                .param("accounts", accounts)
                .query(UUID.class)
                .list();
    }

    /**
     * The establishment's files with exactly this last name (case, accents, hyphens and apostrophes
     * ignored) and birth date, oldest first.
     */
    public List<UUID> byLastNameAndBirthDate(UUID establishmentId, String lastName, LocalDate birthDate) {
        List<byte[]> names = indexes.lastNameMatches(establishmentId, lastName);
        List<byte[]> births = indexes.birthDateMatches(establishmentId, birthDate);
        return jdbc.sql("SELECT id FROM patient_files WHERE establishment_id = ? AND last_name_index IN (?, ?)"
                        + " AND birth_date_index IN (?, ?) ORDER BY created_at, id LIMIT " + MAX_RESULTS)
                .params(establishmentId, names.get(0), names.get(1), births.get(0), births.get(1))
                .query(UUID.class)
                .list();
    }
}
