package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.RequiresSoftHsm;
import org.carnet.support.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 16 item 1: the master key can live in a hardware security module (Debian's SoftHSM v2 here, through
 * the JDK's SunPKCS11): generated on the token, never extractable, and every data key Carnet makes is
 * wrapped and unwrapped by the token. The keystore then holds no master key at all.
 */
@CarnetIntegrationTest
@RequiresSoftHsm
class Pkcs11MasterKeyIntegrationTest {

    private static SoftHsm.Token contextToken;

    /** A token nobody logs in to before the wrong PIN: PKCS#11 logs in per token, for the whole process. */
    private static SoftHsm.Token idleToken;

    /** A token whose master key is rotated, apart from the context's. */
    private static SoftHsm.Token rotatedToken;

    @DynamicPropertySource
    static void token(DynamicPropertyRegistry registry) throws Exception {
        // The library sees the tokens that exist when it is first loaded: both are made before the context.
        contextToken = SoftHsm.freshToken();
        idleToken = SoftHsm.freshToken();
        rotatedToken = SoftHsm.freshToken();
        registry.add("carnet.crypto.master-key-holder", () -> "pkcs11");
        registry.add("carnet.crypto.pkcs11.library", SoftHsm.LIBRARY::toString);
        registry.add("carnet.crypto.pkcs11.slot", () -> contextToken.slot());
        registry.add("carnet.crypto.pkcs11.pin", () -> contextToken.pin());
    }

    @Autowired
    FieldSealer sealer;

    @Autowired
    KeyProvider keys;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path root;

    private final SecureRandom random = new SecureRandom();

    @Test
    void carnetWrapsItsDataKeysWithTheTokensKeyAndOpensWhatItSealed() {
        KeyOwner owner = KeyOwner.establishment(UUID.randomUUID());
        SealedColumn where = new SealedColumn("patient_files", "last_name", UUID.randomUUID());

        byte[] sealed = sealer.seal(owner, where, "Exemple-Synthetique");

        assertThat(sealer.open(owner, where, sealed)).isEqualTo("Exemple-Synthetique");
        assertThat(jdbc.sql("SELECT master_key FROM data_keys WHERE owner_type = ? AND owner_id = ?")
                        .params(owner.type().name(), owner.id())
                        .query(String.class)
                        .list())
                .containsExactly("pkcs11:carnet-master-1");
        assertThat(keys.currentMasterKeyId()).isEqualTo("pkcs11:carnet-master-1");
        assertThat(keys.masterKey(keys.currentMasterKeyId()).getEncoded())
                .as("the token's key never leaves it")
                .isNull();
    }

    @Test
    void theTokensKeySurvivesARestartAndTheKeystoreHoldsNoMasterKey() throws Exception {
        SoftHsm.Token token = contextToken;
        long objectsBefore = SoftHsm.storedObjects();
        CryptoProperties settings = KeyHoldersTest.properties(
                root.resolve("data"),
                root.resolve("keys"),
                "operator's password",
                null,
                CryptoProperties.MasterKeyHolder.PKCS11,
                new CryptoProperties.Pkcs11(
                        SoftHsm.LIBRARY.toString(), token.slot(), 0, token.pin(), null, "restart-test"));
        ConfiguredKeyProvider first = new ConfiguredKeyProvider(settings, random);
        assertThat(SoftHsm.storedObjects())
                .as("the key generated on first start is kept by the token, on its disk, not only in a session")
                .isEqualTo(objectsBefore + 1);
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] aad = "data-key/ESTABLISHMENT/test/1".getBytes(StandardCharsets.UTF_8);
        Cipher wrap = first.masterKeyCipher(first.currentMasterKeyId());
        wrap.init(Cipher.ENCRYPT_MODE, first.masterKey(first.currentMasterKeyId()), new GCMParameterSpec(128, iv));
        wrap.updateAAD(aad);
        byte[] wrapped = wrap.doFinal(new byte[32]);

        // A restart: a new provider, a new session with the token, the same key.
        ConfiguredKeyProvider restarted = new ConfiguredKeyProvider(settings, random);
        Cipher unwrap = restarted.masterKeyCipher(restarted.currentMasterKeyId());
        unwrap.init(
                Cipher.DECRYPT_MODE,
                restarted.masterKey(restarted.currentMasterKeyId()),
                new GCMParameterSpec(128, iv));
        unwrap.updateAAD(aad);
        assertThat(unwrap.doFinal(wrapped)).isEqualTo(new byte[32]);
        // Bound to its associated data: another owner's wrapping does not open.
        Cipher other = restarted.masterKeyCipher(restarted.currentMasterKeyId());
        other.init(
                Cipher.DECRYPT_MODE,
                restarted.masterKey(restarted.currentMasterKeyId()),
                new GCMParameterSpec(128, iv));
        other.updateAAD("data-key/ESTABLISHMENT/other/1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> other.doFinal(wrapped)).isInstanceOf(AEADBadTagException.class);

        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(root.resolve("keys").resolve("carnet-keys.p12"))) {
            keystore.load(in, "operator's password".toCharArray());
        }
        assertThat(Collections.list(keystore.aliases()))
                .containsExactlyInAnyOrder("blind-index-1", "audit-checkpoint-1");
    }

    @Test
    void rotationGeneratesTheNextKeyOnTheTokenAndANodeStartedBeforeUsesIt() throws Exception {
        CryptoProperties settings = KeyHoldersTest.properties(
                root.resolve("data"),
                root.resolve("keys"),
                "operator's password",
                null,
                CryptoProperties.MasterKeyHolder.PKCS11,
                new CryptoProperties.Pkcs11(
                        SoftHsm.LIBRARY.toString(), rotatedToken.slot(), 0, rotatedToken.pin(), null, "rotation-test"));
        ConfiguredKeyProvider rotating = new ConfiguredKeyProvider(settings, random);
        ConfiguredKeyProvider otherNode = new ConfiguredKeyProvider(settings, random);
        long objectsBefore = SoftHsm.storedObjects();
        byte[] wrappedBefore = wrap(rotating, "pkcs11:rotation-test");

        String next = rotating.rotateMasterKey();

        assertThat(next).isEqualTo("pkcs11:rotation-test-2").isEqualTo(rotating.currentMasterKeyId());
        assertThat(SoftHsm.storedObjects()).as("a second key, on the token").isEqualTo(objectsBefore + 1);
        assertThat(rotating.masterKey(next).getEncoded())
                .as("never extractable")
                .isNull();
        byte[] wrappedAfter = wrap(rotating, next);
        // The node started before unwraps with both: it looks at the token again for a key it does not know.
        assertThat(unwrap(otherNode, "pkcs11:rotation-test", wrappedBefore)).isEqualTo(new byte[32]);
        assertThat(unwrap(otherNode, next, wrappedAfter)).isEqualTo(new byte[32]);
        otherNode.rereadMasterKeys();
        assertThat(otherNode.currentMasterKeyId()).isEqualTo(next);
        assertThatThrownBy(() -> unwrap(otherNode, "pkcs11:rotation-test", wrappedAfter))
                .isInstanceOf(AEADBadTagException.class);
    }

    private static final byte[] IV = new byte[12];

    private static byte[] wrap(ConfiguredKeyProvider keys, String keyId) throws Exception {
        Cipher cipher = keys.masterKeyCipher(keyId);
        cipher.init(Cipher.ENCRYPT_MODE, keys.masterKey(keyId), new GCMParameterSpec(128, IV));
        return cipher.doFinal(new byte[32]);
    }

    private static byte[] unwrap(ConfiguredKeyProvider keys, String keyId, byte[] wrapped) throws Exception {
        Cipher cipher = keys.masterKeyCipher(keyId);
        cipher.init(Cipher.DECRYPT_MODE, keys.masterKey(keyId), new GCMParameterSpec(128, IV));
        return cipher.doFinal(wrapped);
    }

    @Test
    void aWrongPinOpensNothing() throws Exception {
        SoftHsm.Token token = idleToken;
        CryptoProperties settings = KeyHoldersTest.properties(
                root.resolve("data"),
                root.resolve("keys"),
                "operator's password",
                null,
                CryptoProperties.MasterKeyHolder.PKCS11,
                new CryptoProperties.Pkcs11(
                        SoftHsm.LIBRARY.toString(), token.slot(), 0, token.pin() + "x", null, "carnet-master-1"));

        assertThatThrownBy(() -> new ConfiguredKeyProvider(settings, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the PIN")
                .hasMessageNotContaining(token.pin());
    }
}
