package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 1: a copy of the data directory is not a copy of the keys. The keystore lives apart from
 * the data, opened by the operator's password (which Carnet never writes) or, for the demonstration, by a
 * generated one kept in the data directory; a keystore of an earlier version moves out of the data
 * directory; contradictory or dangerous settings stop Carnet before it makes new keys beside old data.
 */
class KeyHoldersTest {

    @TempDir
    Path root;

    private final SecureRandom random = new SecureRandom();

    @Test
    void theDemonstrationKeepsTheKeystoreOutOfTheDataDirectoryAndItsPasswordOutOfTheKeysDirectory() throws Exception {
        Path data = root.resolve("data");
        Path keys = root.resolve("data-keys");

        ConfiguredKeyProvider first = new ConfiguredKeyProvider(demo(data, keys), random);

        assertThat(files(keys)).containsExactly(keys.resolve("carnet-keys.p12"));
        assertThat(files(data)).containsExactly(data.resolve("keystore-password"));
        assertThat(Files.getPosixFilePermissions(keys.resolve("carnet-keys.p12")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data.resolve("keystore-password")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // The keystore alone opens with nothing in the keys directory.
        assertThatThrownBy(() -> open(keys.resolve("carnet-keys.p12"), "not the password"))
                .isInstanceOf(java.io.IOException.class);

        ConfiguredKeyProvider again = new ConfiguredKeyProvider(demo(data, keys), random);
        assertThat(again.masterKey(again.currentMasterKeyId()).getEncoded())
                .isEqualTo(first.masterKey(first.currentMasterKeyId()).getEncoded());
        assertThat(again.blindIndexKey().getEncoded())
                .isEqualTo(first.blindIndexKey().getEncoded());
    }

    @Test
    void theOperatorsPasswordIsNeverWrittenAndAWrongOneMakesNoNewKeys() throws Exception {
        Path data = root.resolve("data");
        Path keys = root.resolve("keys");
        Files.createDirectories(data);

        ConfiguredKeyProvider provider = new ConfiguredKeyProvider(operator(data, keys, "correct horse", null), random);

        assertThat(files(keys)).containsExactly(keys.resolve("carnet-keys.p12"));
        assertThat(files(data)).isEmpty();
        assertThat(Collections.list(
                        open(keys.resolve("carnet-keys.p12"), "correct horse").aliases()))
                .containsExactlyInAnyOrder("master-1", "blind-index-1", "audit-checkpoint-1");

        byte[] before = Files.readAllBytes(keys.resolve("carnet-keys.p12"));
        assertThatThrownBy(() -> new ConfiguredKeyProvider(operator(data, keys, "battery staple", null), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("with the password given")
                .hasMessageNotContaining("battery");
        assertThat(Files.readAllBytes(keys.resolve("carnet-keys.p12"))).isEqualTo(before);
        assertThat(provider.masterKey("master-1")).isNotNull();
    }

    @Test
    void aPasswordFileTheOperatorKeepsOpensTheKeystore() throws Exception {
        Path secrets = Files.createDirectories(root.resolve("run-secrets"));
        Path file = secrets.resolve("keystore");
        Files.writeString(file, "from a mounted secret\n", StandardCharsets.UTF_8);
        Path keys = root.resolve("keys");

        new ConfiguredKeyProvider(operator(root.resolve("data"), keys, null, file), random);

        assertThat(Collections.list(open(keys.resolve("carnet-keys.p12"), "from a mounted secret")
                        .aliases()))
                .contains("master-1");
        assertThatThrownBy(() -> new ConfiguredKeyProvider(
                        operator(root.resolve("data"), keys, null, secrets.resolve("missing")), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("names no file");
    }

    @Test
    void aPasswordBesideTheKeystoreOrAKeystoreInsideTheDataDirectoryIsRefused() throws Exception {
        Path keys = Files.createDirectories(root.resolve("keys"));
        Path beside = keys.resolve("password");
        Files.writeString(beside, "anything");

        assertThatThrownBy(() -> new ConfiguredKeyProvider(operator(root.resolve("data"), keys, null, beside), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be kept apart");
        // A data directory given with a trailing separator would put the default keys directory inside it.
        Path data = root.resolve("data");
        assertThatThrownBy(() -> new ConfiguredKeyProvider(demo(data, data.resolve("-keys")), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be kept apart");
        assertThat(files(root.resolve("data"))).isEmpty();
        assertThatThrownBy(() -> new ConfiguredKeyProvider(
                        properties(data, keys, "secret", beside, CryptoProperties.KeyHolder.PKCS12), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not both");
    }

    @Test
    void aKeystoreWhosePasswordIsNowhereStopsTheStartInsteadOfBeingReplaced() throws Exception {
        Path data = root.resolve("data");
        Path keys = root.resolve("data-keys");
        new ConfiguredKeyProvider(demo(data, keys), random);
        byte[] before = Files.readAllBytes(keys.resolve("carnet-keys.p12"));
        Files.delete(data.resolve("keystore-password"));

        assertThatThrownBy(() -> new ConfiguredKeyProvider(demo(data, keys), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists but no password was given");
        assertThat(Files.readAllBytes(keys.resolve("carnet-keys.p12"))).isEqualTo(before);
        assertThat(files(data)).isEmpty();
    }

    @Test
    void aKeystoreOfAnEarlierVersionMovesOutOfTheDataDirectoryWithItsKeys() throws Exception {
        Path data = root.resolve("data");
        Path legacy = Files.createDirectories(data.resolve("keys")).resolve("master-keys.p12");
        SecretKey master = aesKey();
        SecretKey blind = aesKey();
        char[] password = "generated-by-an-earlier-version".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        store.setEntry("master-1", new KeyStore.SecretKeyEntry(master), protection);
        store.setEntry("blind-index-1", new KeyStore.SecretKeyEntry(blind), protection);
        try (OutputStream out = Files.newOutputStream(legacy)) {
            store.store(out, password);
        }
        Files.writeString(legacy.resolveSibling("master-keys.p12.password"), new String(password));
        Path keys = root.resolve("data-keys");

        ConfiguredKeyProvider provider = new ConfiguredKeyProvider(demo(data, keys), random);

        assertThat(provider.masterKey("master-1").getEncoded()).isEqualTo(master.getEncoded());
        assertThat(provider.blindIndexKey().getEncoded()).isEqualTo(blind.getEncoded());
        assertThat(files(data)).containsExactly(data.resolve("keystore-password"));
        assertThat(files(keys)).containsExactly(keys.resolve("carnet-keys.p12"));

        // With an operator's password instead, Carnet cannot know what opens the old one: it says what to do.
        Path other = root.resolve("other");
        Path otherLegacy = Files.createDirectories(other.resolve("keys")).resolve("master-keys.p12");
        Files.copy(keys.resolve("carnet-keys.p12"), otherLegacy);
        assertThatThrownBy(() -> new ConfiguredKeyProvider(
                        operator(other, root.resolve("other-keys"), "operator's", null), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("earlier version");
        assertThat(Files.exists(root.resolve("other-keys"))).isFalse();
    }

    @Test
    void aNewSigningKeySignsFromTheNextStartAndWhatTheOldOneSignedStillVerifies() throws Exception {
        Path data = root.resolve("data");
        Path keys = root.resolve("data-keys");
        ConfiguredKeyProvider before = new ConfiguredKeyProvider(demo(data, keys), random);
        byte[] message = "checkpoint 7 of chain X".getBytes(StandardCharsets.UTF_8);
        byte[] signedBefore = Ed25519.sign(before.checkpointSigningKey().getPrivate(), message);
        assertThat(before.checkpointSigningKeyId()).isEqualTo("audit-checkpoint-1");

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = KeysCommand.run(
                org.carnet.CarnetApplication.class,
                new String[] {"keys", "rotate-signing", "--carnet.data-dir=" + data},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(KeysCommand.DONE);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("keys rotate-signing: OK, audit-checkpoint-2 ");
        ConfiguredKeyProvider after = new ConfiguredKeyProvider(demo(data, keys), random);
        assertThat(after.checkpointSigningKeyId()).isEqualTo("audit-checkpoint-2");
        assertThat(after.checkpointSigningKey().getPublic().getEncoded())
                .isNotEqualTo(before.checkpointSigningKey().getPublic().getEncoded());
        assertThat(Ed25519.verify(after.checkpointVerificationKey("audit-checkpoint-1"), signedBefore, message))
                .isTrue();
        assertThat(Ed25519.verify(after.checkpointSigningKey().getPublic(), signedBefore, message))
                .isFalse();
        // The other keys did not move.
        assertThat(after.masterKey("master-1").getEncoded())
                .isEqualTo(before.masterKey("master-1").getEncoded());
        assertThat(after.rotateSigningKey()).isEqualTo("audit-checkpoint-3");
        assertThat(KeysCommand.run(
                        org.carnet.CarnetApplication.class,
                        new String[] {"keys", "rotate"},
                        new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(KeysCommand.USAGE);
    }

    private static SecretKey aesKey() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        return generator.generateKey();
    }

    private static KeyStore open(Path keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static List<Path> files(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static CryptoProperties demo(Path data, Path keys) {
        return properties(data, keys, null, null, CryptoProperties.KeyHolder.PKCS12);
    }

    private static CryptoProperties operator(
            Path data, Path keys, @Nullable String password, @Nullable Path passwordFile) {
        return properties(data, keys, password, passwordFile, CryptoProperties.KeyHolder.PKCS12);
    }

    static CryptoProperties properties(
            Path data,
            Path keys,
            @Nullable String password,
            @Nullable Path passwordFile,
            CryptoProperties.KeyHolder holder) {
        return properties(data, keys, password, passwordFile, holder, noToken());
    }

    static CryptoProperties properties(
            Path data,
            Path keys,
            @Nullable String password,
            @Nullable Path passwordFile,
            CryptoProperties.KeyHolder holder,
            CryptoProperties.Pkcs11 token) {
        return properties(data, keys, password, passwordFile, holder, CryptoProperties.KeyHolder.PKCS12, token);
    }

    static CryptoProperties properties(
            Path data,
            Path keys,
            @Nullable String password,
            @Nullable Path passwordFile,
            CryptoProperties.KeyHolder masterHolder,
            CryptoProperties.KeyHolder signingHolder,
            CryptoProperties.Pkcs11 token) {
        return new CryptoProperties(
                keys.resolve("carnet-keys.p12").toString(),
                password,
                passwordFile == null ? null : passwordFile.toString(),
                data.resolve("keystore-password").toString(),
                data.resolve("keys").resolve("master-keys.p12").toString(),
                masterHolder,
                signingHolder,
                token);
    }

    private static CryptoProperties.Pkcs11 noToken() {
        return new CryptoProperties.Pkcs11(null, null, 0, null, null, "carnet-master-1", "carnet-audit-1");
    }
}
