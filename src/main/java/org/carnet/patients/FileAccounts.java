package org.carnet.patients;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShreddedException;
import org.carnet.crypto.SealedTable;
import org.carnet.patients.internal.FileIndexes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Between a patient account and its files in establishments, with nothing a dump without the keys can join.
 * An establishment's file finds its account through a keyed hash under the establishment's blind-index key
 * ({@code patient_files.account_index}) and keeps the account id sealed under the establishment's key
 * ({@code patient_files.patient_account}); the account finds its files through {@code patient_file_links},
 * one row per file whose establishment and file ids are sealed under the account's own key. So the account
 * id appears beside no establishment, file or appointment in clear, and two establishments' files of one
 * patient share no value.
 */
@Component
public class FileAccounts {

    /** The way from an account to its files, sealed under the account's key. */
    static final SealedTable LINKS =
            SealedTable.of("patient_file_links", "patient_account_id", KeyOwner.Type.PATIENT_ACCOUNT, "file");

    /** A file of an establishment. */
    public record FileRef(UUID establishmentId, UUID fileId) {}

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final FileIndexes indexes;

    FileAccounts(JdbcClient jdbc, FieldSealer sealer, FileIndexes indexes) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.indexes = indexes;
    }

    /**
     * The establishment's file of this account, if any: ids only, nothing is opened. A file written before V42
     * and not yet moved by {@link FileUnlinking} is found by its clear account id, so that no second file is
     * made for the account meanwhile.
     */
    public Optional<UUID> fileOf(UUID establishmentId, UUID accountId) {
        return jdbc
                .sql("SELECT id FROM patient_files WHERE establishment_id = ? AND (account_index = ?"
                        + " OR patient_account_id = ?)")
                .params(establishmentId, index(establishmentId, accountId), accountId)
                .query(UUID.class)
                .list()
                .stream()
                .findFirst();
    }

    /**
     * The files of this account in every establishment, from its links; those whose link no longer opens are
     * left out (none should: a link is sealed under the account's key, gone only with the account).
     */
    public List<FileRef> filesOf(UUID accountId) {
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        List<FileRef> files = new ArrayList<>();
        jdbc.sql("SELECT id, file FROM patient_file_links WHERE patient_account_id = ?")
                .param(accountId)
                .query(rs -> {
                    UUID link = rs.getObject("id", UUID.class);
                    String file;
                    try {
                        file = sealer.open(owner, LINKS.column("file", link), rs.getBytes("file"));
                    } catch (KeyShreddedException e) {
                        return;
                    }
                    if (file != null) {
                        int slash = file.indexOf('/');
                        files.add(new FileRef(
                                UUID.fromString(file.substring(0, slash)), UUID.fromString(file.substring(slash + 1))));
                    }
                });
        return files;
    }

    /** The account a file of this establishment is for, opened from its sealed value; null for none. */
    public @Nullable UUID accountOf(UUID establishmentId, UUID fileId, byte @Nullable [] sealedAccount) {
        String account = sealer.open(
                KeyOwner.establishment(establishmentId),
                PatientFiles.SEALED.column("patient_account", fileId),
                sealedAccount);
        return account == null ? null : UUID.fromString(account);
    }

    /** The account of a file of this establishment, if it has one: one read, one value opened. */
    public Optional<UUID> accountOfFile(UUID establishmentId, UUID fileId) {
        return jdbc.sql("SELECT patient_account FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(establishmentId, fileId)
                .query((rs, n) -> Optional.ofNullable(accountOf(establishmentId, fileId, rs.getBytes(1))))
                .optional()
                .flatMap(account -> account);
    }

    /** The keyed hash a file of this establishment stores for its account. */
    byte[] index(UUID establishmentId, UUID accountId) {
        return indexes.account(establishmentId, accountId);
    }

    /** The account id as a file of this establishment stores it, sealed under the establishment's key. */
    byte[] sealedAccount(UUID establishmentId, UUID fileId, UUID accountId) {
        return sealer.seal(
                KeyOwner.establishment(establishmentId),
                PatientFiles.SEALED.column("patient_account", fileId),
                accountId.toString());
    }

    /** Records, under the account's key, that it has this file; in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void link(UUID accountId, FileRef file) {
        UUID link = UUID.randomUUID();
        jdbc.sql("INSERT INTO patient_file_links (patient_account_id, id, file) VALUES (?, ?, ?)")
                .params(
                        accountId,
                        link,
                        sealer.seal(
                                KeyOwner.patientAccount(accountId),
                                LINKS.column("file", link),
                                file.establishmentId() + "/" + file.fileId()))
                .update();
    }

    /** Forgets the account's link to this file (its file was erased); in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void unlink(UUID accountId, FileRef file) {
        KeyOwner owner = KeyOwner.patientAccount(accountId);
        String wanted = file.establishmentId() + "/" + file.fileId();
        List<UUID> links = new ArrayList<>();
        jdbc.sql("SELECT id, file FROM patient_file_links WHERE patient_account_id = ?")
                .param(accountId)
                .query(rs -> {
                    UUID link = rs.getObject("id", UUID.class);
                    if (wanted.equals(sealer.open(owner, LINKS.column("file", link), rs.getBytes("file")))) {
                        links.add(link);
                    }
                });
        for (UUID link : links) {
            jdbc.sql("DELETE FROM patient_file_links WHERE patient_account_id = ? AND id = ?")
                    .params(accountId, link)
                    .update();
        }
    }
}
