package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_NEVER_EXTRACTABLE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_SENSITIVE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_EC_EDWARDS;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditVerifier;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.RequiresSoftHsm;
import org.carnet.support.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.Slot;

/**
 * Issue 16 item 1: the master key and the audit-signing key can live in a hardware security module (Debian's
 * SoftHSM v2 here). The master key, through the JDK's SunPKCS11: generated on the token, never extractable,
 * and every data key Carnet makes is wrapped and unwrapped by the token. The Ed25519 signing pair, through a
 * PKCS#11 wrapper that knows EdDSA: generated on the token, its private half never leaves it, the token signs
 * every chain head and checkpoint, the log verifies with the token's public key, and a rotation on the token
 * keeps what the older key signed verifiable. The keystore then holds neither. One class, one context: the
 * library sees only the tokens that exist when it is first loaded in the test JVM, so every token is made
 * before it.
 */
@CarnetIntegrationTest
@RequiresSoftHsm
class Pkcs11KeysIntegrationTest {

    private static SoftHsm.Token contextToken;

    /** A token nobody logs in to before the wrong PIN: PKCS#11 logs in per token, for the whole process. */
    private static SoftHsm.Token idleToken;

    /** A token whose master key is rotated, apart from the context's. */
    private static SoftHsm.Token rotatedToken;

    /** A token whose signing key is rotated. */
    private static SoftHsm.Token rotatedSigningToken;

    /** A token nobody logs in to before the wrong PIN of a signing-key holder. */
    private static SoftHsm.Token idleSigningToken;

    @DynamicPropertySource
    static void token(DynamicPropertyRegistry registry) throws Exception {
        // The library sees the tokens that exist when it is first loaded: both are made before the context.
        contextToken = SoftHsm.freshToken();
        idleToken = SoftHsm.freshToken();
        rotatedToken = SoftHsm.freshToken();
        rotatedSigningToken = SoftHsm.freshToken();
        idleSigningToken = SoftHsm.freshToken();
        registry.add("carnet.crypto.master-key-holder", () -> "pkcs11");
        registry.add("carnet.crypto.signing-key-holder", () -> "pkcs11");
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

    @Autowired
    AuditChains chains;

    @Autowired
    AuditVerifier verifier;

    @Autowired
    Environment environment;

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
        CryptoProperties settings = masterSettings(token, token.pin(), "restart-test");
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
        CryptoProperties settings = masterSettings(rotatedToken, rotatedToken.pin(), "rotation-test");
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
        CryptoProperties settings = masterSettings(token, token.pin() + "x", "carnet-master-1");

        assertThatThrownBy(() -> new ConfiguredKeyProvider(settings, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the PIN")
                .hasMessageNotContaining(token.pin());
    }

    @Test
    void theTokenSignsTheAuditLogWhichVerifiesAndTheKeystoreHoldsNoSigningKey() throws Exception {
        chains.sealPending();
        chains.checkpoint();

        var owner = org.carnet.support.TestDatabase.owner(environment);
        assertThat(owner.sql("SELECT DISTINCT key_id FROM audit_checkpoints")
                        .query(String.class)
                        .list())
                .as("every checkpoint of this database, from the demo data's first entries on")
                .containsExactly("pkcs11:carnet-audit-1");
        assertThat(owner.sql("SELECT DISTINCT key_id FROM audit_chain_heads WHERE key_id IS NOT NULL")
                        .query(String.class)
                        .list())
                .containsExactly("pkcs11:carnet-audit-1");
        assertThat(verifier.verify().intact()).isTrue();
        assertThat(keys.checkpointVerificationKey("audit-checkpoint-1"))
                .as("no signing key was made in the keystore")
                .isNull();
    }

    @Test
    void thePrivateKeyIsGeneratedOnTheTokenAndNeverLeavesIt() throws Exception {
        assertThat(keys.checkpointSigningKey().getPrivate().getEncoded()).isNull();
        // Asked of the token itself, not of Carnet's handle.
        PKCS11Module module = PKCS11Module.getInstance(SoftHsm.LIBRARY.toString());
        Slot slot = Arrays.stream(module.getSlotList(true))
                .filter(s -> s.getSlotID() == contextToken.slot())
                .findFirst()
                .orElseThrow();
        PKCS11Token token =
                new PKCS11Token(slot.getToken(), true, contextToken.pin().toCharArray());
        long[] found =
                token.findObjects(AttributeVector.newPrivateKey(CKK_EC_EDWARDS).label("carnet-audit-1"), 2);
        assertThat(found).hasSize(1);
        AttributeVector attributes =
                token.getAttrValues(found[0], CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_NEVER_EXTRACTABLE);
        assertThat(attributes.sensitive()).isTrue();
        assertThat(attributes.extractable()).isFalse();
        assertThat(attributes.neverExtractable()).isTrue();
    }

    @Test
    void exportsAndBackupsAreSignedInOpenPgpByTheTokensKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        PGPKeyPair recipient = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
        byte[] content = "patient;synthetique\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try (OutputStream out = OpenPgpMessages.encryptAndSign(
                message, recipient.getPublicKey(), keys.checkpointSigningKey(), "export.csv", Instant.now(), true)) {
            out.write(content);
        }

        JcaPGPObjectFactory outer = new JcaPGPObjectFactory(message.toByteArray());
        PGPPublicKeyEncryptedData encrypted =
                (PGPPublicKeyEncryptedData) ((PGPEncryptedDataList) outer.nextObject()).get(0);
        JcaPGPObjectFactory compressed = new JcaPGPObjectFactory(encrypted.getDataStream(
                new JcePublicKeyDataDecryptorFactoryBuilder().build(recipient.getPrivateKey())));
        JcaPGPObjectFactory inner =
                new JcaPGPObjectFactory(((PGPCompressedData) compressed.nextObject()).getDataStream());
        PGPOnePassSignature onePass = ((PGPOnePassSignatureList) inner.nextObject()).get(0);
        onePass.init(
                new JcaPGPContentVerifierBuilderProvider(),
                OpenPgpMessages.signingKey(keys.checkpointSigningKey().getPublic()));
        byte[] read = ((PGPLiteralData) inner.nextObject()).getInputStream().readAllBytes();
        onePass.update(read);
        assertThat(read).isEqualTo(content);
        assertThat(onePass.verify(((PGPSignatureList) inner.nextObject()).get(0)))
                .as("signed by the token's Ed25519 key")
                .isTrue();
    }

    @Test
    void rotationOnTheTokenKeepsWhatTheOlderKeySignedVerifiable() throws Exception {
        CryptoProperties settings = signingSettings(rotatedSigningToken, rotatedSigningToken.pin());
        long objectsBefore = SoftHsm.storedObjects();
        ConfiguredKeyProvider running = new ConfiguredKeyProvider(settings, random);
        assertThat(SoftHsm.storedObjects())
                .as("a key pair generated on first start, kept by the token on its disk")
                .isEqualTo(objectsBefore + 2);
        byte[] message = "checkpoint synthétique".getBytes(StandardCharsets.UTF_8);
        assertThat(running.checkpointSigningKeyId()).isEqualTo("pkcs11:carnet-audit-1");
        byte[] signedBefore = Ed25519.sign(running.checkpointSigningKey().getPrivate(), message);

        String next = running.rotateSigningKey();

        assertThat(next).isEqualTo("pkcs11:carnet-audit-2");
        assertThat(running.checkpointSigningKeyId())
                .as("a running node signs with its key until its next start")
                .isEqualTo("pkcs11:carnet-audit-1");
        ConfiguredKeyProvider restarted = new ConfiguredKeyProvider(settings, random);
        assertThat(restarted.checkpointSigningKeyId()).isEqualTo(next);
        byte[] signedAfter = Ed25519.sign(restarted.checkpointSigningKey().getPrivate(), message);
        assertThat(Ed25519.verify(restarted.checkpointVerificationKey("pkcs11:carnet-audit-1"), signedBefore, message))
                .isTrue();
        // The node started before the rotation finds the new key on the token to verify what it signed.
        assertThat(Ed25519.verify(running.checkpointVerificationKey(next), signedAfter, message))
                .isTrue();
        assertThat(Ed25519.verify(running.checkpointVerificationKey(next), signedBefore, message))
                .isFalse();
        assertThat(restarted.checkpointVerificationKey("pkcs11:carnet-audit-9")).isNull();
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(root.resolve("keys").resolve("carnet-keys.p12"))) {
            keystore.load(in, "operator's password".toCharArray());
        }
        assertThat(Collections.list(keystore.aliases())).containsExactlyInAnyOrder("master-1", "blind-index-1");
    }

    @Test
    void aWrongPinOpensNoSigningKey() {
        CryptoProperties settings = signingSettings(idleSigningToken, idleSigningToken.pin() + "x");

        assertThatThrownBy(() -> new ConfiguredKeyProvider(settings, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the PIN")
                .hasMessageNotContaining(idleSigningToken.pin());
    }

    /** The master key on the token, the signing key in the keystore. */
    private CryptoProperties masterSettings(SoftHsm.Token token, String pin, String masterLabel) {
        return settings(CryptoProperties.KeyHolder.PKCS11, CryptoProperties.KeyHolder.PKCS12, token, pin, masterLabel);
    }

    /** The keystore keeps the master key here: only the signing key is on the token. */
    private CryptoProperties signingSettings(SoftHsm.Token token, String pin) {
        return settings(
                CryptoProperties.KeyHolder.PKCS12, CryptoProperties.KeyHolder.PKCS11, token, pin, "carnet-master-1");
    }

    private CryptoProperties settings(
            CryptoProperties.KeyHolder master,
            CryptoProperties.KeyHolder signing,
            SoftHsm.Token token,
            String pin,
            String masterLabel) {
        return KeyHoldersTest.properties(
                root.resolve("data"),
                root.resolve("keys"),
                "operator's password",
                null,
                master,
                signing,
                new CryptoProperties.Pkcs11(
                        SoftHsm.LIBRARY.toString(), token.slot(), 0, pin, null, masterLabel, "carnet-audit-1"));
    }
}
