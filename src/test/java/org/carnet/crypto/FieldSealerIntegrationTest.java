package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

@CarnetIntegrationTest
class FieldSealerIntegrationTest {

    @Autowired
    FieldSealer sealer;

    @Autowired
    BlindIndex blindIndex;

    @Autowired
    TransactionTemplate transactions;

    final KeyOwner owner = KeyOwner.establishment(UUID.randomUUID());
    final SealedColumn where = new SealedColumn("patient_files", "last_name", UUID.randomUUID());

    @Test
    void opensWhatItSealedAndNothingElse() {
        byte[] sealed = sealer.seal(owner, where, "Dupont-Exemple");

        assertThat(sealed[0]).isEqualTo(FieldSealer.FORMAT_V1);
        assertThat(sealer.open(owner, where, sealed)).isEqualTo("Dupont-Exemple");
        assertThat(sealer.seal(owner, where, "Dupont-Exemple")).isNotEqualTo(sealed);
        assertThat(sealer.seal(owner, where, null)).isNull();
    }

    @Test
    void refusesACiphertextMovedToAnotherRowColumnOrOwner() {
        byte[] sealed = sealer.seal(owner, where, "Dupont-Exemple");

        assertThatThrownBy(() ->
                        sealer.open(owner, new SealedColumn("patient_files", "last_name", UUID.randomUUID()), sealed))
                .hasMessageNotContaining("Dupont");
        assertThatThrownBy(
                        () -> sealer.open(owner, new SealedColumn("patient_files", "first_name", where.row()), sealed))
                .isInstanceOf(IllegalStateException.class);
        KeyOwner other = KeyOwner.establishment(UUID.randomUUID());
        sealer.seal(other, where, "another establishment's key now exists");
        assertThatThrownBy(() -> sealer.open(other, where, sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesATamperedCiphertextOrAnUnknownFormat() {
        byte[] sealed = sealer.seal(owner, where, "Dupont-Exemple");
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 1] ^= 1;
        byte[] unknownVersion = sealed.clone();
        unknownVersion[0] = 9;

        assertThatThrownBy(() -> sealer.open(owner, where, flipped)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sealer.open(owner, where, unknownVersion))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unknown sealed format");
    }

    @Test
    void aDataKeyCreatedInARolledBackTransactionIsNotReused() {
        KeyOwner fresh = KeyOwner.patientAccount(UUID.randomUUID());
        transactions.executeWithoutResult(status -> {
            sealer.open(fresh, where, sealer.seal(fresh, where, "rolled back"));
            status.setRollbackOnly();
        });
        byte[] sealed = transactions.execute(status -> sealer.seal(fresh, where, "committed"));
        assertThat(sealer.open(fresh, where, sealed)).isEqualTo("committed");
    }

    @Test
    void blindIndexesAreStableAndDifferPerPurpose() {
        assertThat(blindIndex.of("email", "someone@example.test"))
                .isEqualTo(blindIndex.of("email", "someone@example.test"));
        assertThat(blindIndex.of("nir", "295109912611193")).isNotEqualTo(blindIndex.of("email", "295109912611193"));
        assertThat(blindIndex.of("email", "someone@example.test")[0]).isEqualTo(BlindIndex.FORMAT_V1);
    }
}
