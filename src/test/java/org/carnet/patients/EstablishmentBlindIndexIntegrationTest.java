package org.carnet.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShreddedException;
import org.carnet.crypto.KeyShredding;
import org.carnet.directory.Directory;
import org.carnet.directory.Finess;
import org.carnet.patients.internal.FileIndexes;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Patient files' blind indexes are computed under their establishment's own key: the same identity in two
 * establishments is not joinable in a key-less dump, each establishment still finds its own files, destroying
 * an establishment's keys leaves indexes no one can match, and files indexed under the platform's key before
 * are found, then re-indexed in resumable batches. Synthetic identities only.
 */
@CarnetIntegrationTest
class EstablishmentBlindIndexIntegrationTest {

    private static final LocalDate BIRTH = LocalDate.parse("1951-06-17");

    @Autowired
    Directory directory;

    @Autowired
    PatientFiles files;

    @Autowired
    FileLookups lookups;

    @Autowired
    FileIndexes indexes;

    @Autowired
    FileReindexing reindexing;

    @Autowired
    KeyShredding shredding;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theSameIdentityInTwoEstablishmentsHasUnrelatedIndexesAndEachFindsItsOwnFile() {
        UUID first = anEstablishment();
        UUID second = anEstablishment();
        String name = "Indexsame-" + UUID.randomUUID().toString().substring(0, 6);
        UUID firstFile = aFile(first, name);
        UUID secondFile = aFile(second, name);

        byte[][] firstIndexes = storedIndexes(firstFile);
        byte[][] secondIndexes = storedIndexes(secondFile);
        assertThat(firstIndexes[0]).isNotEqualTo(secondIndexes[0]);
        assertThat(firstIndexes[1]).isNotEqualTo(secondIndexes[1]);
        assertThat(firstIndexes[0][0]).isEqualTo(BlindIndex.FORMAT_ESTABLISHMENT);
        assertThat(firstIndexes[1][0]).isEqualTo(BlindIndex.FORMAT_ESTABLISHMENT);
        // Not the platform key's index either: that key survives the establishment's crypto-shredding.
        assertThat(firstIndexes[0]).isNotEqualTo(indexes.platformLastName(first, name));
        assertThat(firstIndexes[1]).isNotEqualTo(indexes.platformBirthDate(first, BIRTH));

        assertThat(lookups.byLastNameAndBirthDate(first, name.toUpperCase(java.util.Locale.ROOT), BIRTH))
                .containsExactly(firstFile);
        assertThat(lookups.byLastNameAndBirthDate(second, name, BIRTH)).containsExactly(secondFile);
        assertThat(files.search(first, name, null, staff(first)))
                .extracting(FileSummary::fileId)
                .containsExactly(firstFile);
        assertThat(files.search(second, null, BIRTH, staff(second)))
                .extracting(FileSummary::fileId)
                .containsExactly(secondFile);
    }

    @Test
    void anEstablishmentsIndexKeyIsReadOnceThenServedFromMemory() {
        UUID establishment = anEstablishment();
        String name = "Indexcache-" + UUID.randomUUID().toString().substring(0, 6);
        UUID file = aFile(establishment, name);
        // Out of the database behind this node's back: a search, or a booking's new file, then costs no
        // round trip for the key (this establishment is not used again).
        jdbc.sql("DELETE FROM data_keys WHERE owner_type = 'ESTABLISHMENT_INDEX' AND owner_id = ?")
                .param(establishment)
                .update();

        UUID another = aFile(establishment, name);
        assertThat(lookups.byLastNameAndBirthDate(establishment, name, BIRTH)).containsExactlyInAnyOrder(file, another);
        assertThat(indexKeys(establishment)).isZero();
    }

    @Test
    void afterAnEstablishmentsKeysAreDestroyedItsIndexesMatchNothingAndAnotherEstablishmentStillFindsItsFiles() {
        UUID leaving = anEstablishment();
        UUID staying = anEstablishment();
        String name = "Indexshred-" + UUID.randomUUID().toString().substring(0, 6);
        UUID leavingFile = aFile(leaving, name);
        UUID stayingFile = aFile(staying, name);
        assertThat(lookups.byLastNameAndBirthDate(leaving, name, BIRTH)).containsExactly(leavingFile);
        assertThat(indexKeys(leaving)).isEqualTo(1);

        transactions.executeWithoutResult(status -> shredding.shred(KeyOwner.establishment(leaving)));

        assertThat(indexKeys(leaving)).isZero();
        assertThat(indexKeys(staying)).isEqualTo(1);
        // Not from this node's memory either, and never a new key for it.
        assertThatThrownBy(() -> lookups.byLastNameAndBirthDate(leaving, name, BIRTH))
                .isInstanceOf(KeyShreddedException.class);
        assertThatThrownBy(() -> indexes.lastName(leaving, name)).isInstanceOf(KeyShreddedException.class);
        assertThat(indexKeys(leaving)).isZero();
        // What stays in the table is neither the other establishment's index nor the platform key's.
        byte[][] left = storedIndexes(leavingFile);
        assertThat(left[0]).isNotEqualTo(indexes.platformLastName(leaving, name));
        assertThat(left[0]).isNotEqualTo(storedIndexes(stayingFile)[0]);
        assertThat(lookups.byLastNameAndBirthDate(staying, name, BIRTH)).containsExactly(stayingFile);
    }

    @Test
    void filesIndexedUnderThePlatformKeyAreFoundThenReindexedInBatchesThatResumeAfterAStop() {
        UUID establishment = anEstablishment();
        UUID destroyed = anEstablishment();
        String name = "Indexold-" + UUID.randomUUID().toString().substring(0, 6);
        List<UUID> old = List.of(aFile(establishment, name), aFile(establishment, name), aFile(establishment, name));
        UUID destroyedFile = aFile(destroyed, name);
        // As a database of the previous version holds them: format 1, the platform's key.
        old.forEach(file -> toPlatformFormat(establishment, file, name));
        toPlatformFormat(destroyed, destroyedFile, name);
        transactions.executeWithoutResult(status -> shredding.shred(KeyOwner.establishment(destroyed)));

        assertThat(lookups.byLastNameAndBirthDate(establishment, name, BIRTH)).containsExactlyInAnyOrderElementsOf(old);
        assertThat(files.search(establishment, name, BIRTH, staff(establishment)))
                .hasSize(3);

        // A batch whose transaction does not commit (a crash before it) leaves every file as it was.
        transactions.executeWithoutResult(status -> {
            FileReindexing.Result undone = reindexing.reindex(1, 1);
            assertThat(undone.reindexed() + undone.cleared()).isEqualTo(1);
            status.setRollbackOnly();
        });
        assertThat(formats(establishment)).containsOnly((byte) 1);
        assertThat(storedIndexes(destroyedFile)[0]).isEqualTo(indexes.platformLastName(destroyed, name));

        // Stopped after one batch: one file re-indexed, whole; the others still found in their old format.
        FileReindexing.Result stopped = reindexing.reindex(1, 1);
        assertThat(stopped.finished()).isFalse();
        assertThat(stopped.reindexed() + stopped.cleared()).isEqualTo(1);
        assertThat(lookups.byLastNameAndBirthDate(establishment, name, BIRTH)).containsExactlyInAnyOrderElementsOf(old);

        // The next run finishes; the destroyed establishment's old indexes are removed.
        FileReindexing.Result rest = reindexing.reindex(2, Integer.MAX_VALUE);
        assertThat(rest.finished()).isTrue();
        assertThat(stopped.reindexed() + rest.reindexed()).isEqualTo(3);
        assertThat(stopped.cleared() + rest.cleared()).isEqualTo(1);
        assertThat(formats(establishment)).containsOnly(BlindIndex.FORMAT_ESTABLISHMENT);
        for (UUID file : old) {
            assertThat(storedIndexes(file)[0]).isEqualTo(indexes.lastName(establishment, name));
            assertThat(storedIndexes(file)[1]).isEqualTo(indexes.birthDate(establishment, BIRTH));
        }
        assertThat(storedIndexes(destroyedFile)[0]).isNull();
        assertThat(storedIndexes(destroyedFile)[1]).isNull();
        assertThat(lookups.byLastNameAndBirthDate(establishment, name, BIRTH)).containsExactlyInAnyOrderElementsOf(old);
        assertThat(reindexing.reindex(2, Integer.MAX_VALUE)).isEqualTo(new FileReindexing.Result(0, 0, 0, true));
    }

    private UUID anEstablishment() {
        int serial = ThreadLocalRandom.current().nextInt(1_000_000);
        return directory
                .addEstablishment(
                        Finess.of("69", serial), "Centre d'index " + serial, "1 rue du Test", "Indexville", "69100")
                .id();
    }

    private UUID aFile(UUID establishment, String lastName) {
        return files.create(
                establishment, "Prenomindex", lastName, BIRTH, Sex.F, "+33 1 23 45 67 89", null, staff(establishment));
    }

    private static Actor.Person staff(UUID establishment) {
        return new Actor.Person(UUID.randomUUID(), Role.STAFF, UUID.randomUUID(), EstablishmentId.of(establishment));
    }

    private byte[][] storedIndexes(UUID file) {
        return jdbc.sql("SELECT last_name_index, birth_date_index FROM patient_files WHERE id = ?")
                .param(file)
                .query((rs, n) -> new byte[][] {rs.getBytes(1), rs.getBytes(2)})
                .single();
    }

    private List<Byte> formats(UUID establishment) {
        return jdbc
                .sql("SELECT last_name_index, birth_date_index FROM patient_files WHERE establishment_id = ?")
                .param(establishment)
                .query((rs, n) -> List.of(rs.getBytes(1)[0], rs.getBytes(2)[0]))
                .list()
                .stream()
                .flatMap(List::stream)
                .toList();
    }

    private void toPlatformFormat(UUID establishment, UUID file, String name) {
        jdbc.sql("UPDATE patient_files SET last_name_index = ?, birth_date_index = ? WHERE id = ?")
                .params(
                        indexes.platformLastName(establishment, name),
                        indexes.platformBirthDate(establishment, BIRTH),
                        file)
                .update();
    }

    private int indexKeys(UUID establishment) {
        return jdbc.sql("SELECT COUNT(*) FROM data_keys WHERE owner_type = 'ESTABLISHMENT_INDEX' AND owner_id = ?")
                .param(establishment)
                .query(Integer.class)
                .single();
    }
}
