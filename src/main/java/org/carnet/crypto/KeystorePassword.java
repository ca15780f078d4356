package org.carnet.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keystore's password: the operator's (a property set from the environment, or a file they keep), or
 * for the embedded demonstration one generated into the data directory, never beside the keystore. Also
 * moves a keystore of an earlier version, which sat in the data directory with its password beside it, out
 * to the keys directory.
 */
final class KeystorePassword {

    private static final Logger log = LoggerFactory.getLogger(KeystorePassword.class);

    private KeystorePassword() {}

    /**
     * The password that opens (or will create) the keystore.
     *
     * @throws IllegalStateException when the settings contradict each other or a keystore exists that no
     *     given password can open: Carnet then refuses to start rather than make new keys beside old data
     */
    static char[] resolve(CryptoProperties properties, SecureRandom random) throws IOException {
        Path keystore = properties.keystore();
        @Nullable String given = blankToNull(properties.keystorePassword());
        @Nullable String file = blankToNull(properties.keystorePasswordFile());
        if (given != null && file != null) {
            throw new IllegalStateException(
                    "Set carnet.crypto.keystore-password or carnet.crypto.keystore-password-file, not both");
        }
        Path demoFile = Path.of(properties.demoPasswordFile()).toAbsolutePath().normalize();
        @Nullable
        Path operatorFile = file == null ? null : Path.of(file).toAbsolutePath().normalize();
        boolean operatorGivesIt = given != null || operatorFile != null;
        if (given == null) {
            refuseBeside(operatorFile != null ? operatorFile : demoFile, keystore);
        }
        moveLegacy(properties, keystore, demoFile, operatorGivesIt);

        if (given != null) {
            return given.toCharArray();
        }
        if (operatorFile != null) {
            if (!Files.isRegularFile(operatorFile)) {
                throw new IllegalStateException("carnet.crypto.keystore-password-file names no file: " + operatorFile);
            }
            return read(operatorFile);
        }
        char[] password;
        if (Files.exists(demoFile)) {
            password = read(demoFile);
        } else if (Files.exists(keystore)) {
            throw new IllegalStateException("The keystore " + keystore
                    + " exists but no password was given: set CARNET_CRYPTO_KEYSTORE_PASSWORD or"
                    + " carnet.crypto.keystore-password-file");
        } else {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            password = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(bytes)
                    .toCharArray();
            Files.createDirectories(Objects.requireNonNull(demoFile.getParent()));
            OwnerOnlyFiles.create(demoFile, new String(password).getBytes(StandardCharsets.US_ASCII));
        }
        log.warn(
                "Keys: keystore {}, opened by a password generated into {}. They protect a demonstration:"
                        + " a deployment gives its own password (CARNET_CRYPTO_KEYSTORE_PASSWORD or"
                        + " carnet.crypto.keystore-password-file) and keeps the keys apart from the data"
                        + " (docs/operations.md, \"Keys\")",
                keystore,
                demoFile);
        return password;
    }

    private static void refuseBeside(Path passwordFile, Path keystore) {
        Path passwords = Objects.requireNonNull(passwordFile.getParent());
        Path keys = Objects.requireNonNull(keystore.getParent());
        if (keystore.startsWith(passwords) || passwordFile.startsWith(keys)) {
            throw new IllegalStateException("The keystore " + keystore + " and its password " + passwordFile
                    + " must be kept apart, neither in the other's directory: whoever copies one would have both");
        }
    }

    private static void moveLegacy(CryptoProperties properties, Path keystore, Path demoFile, boolean operatorGivesIt)
            throws IOException {
        Path legacy = Path.of(properties.legacyKeystorePath()).toAbsolutePath().normalize();
        Path legacyPassword = legacy.resolveSibling(legacy.getFileName() + ".password");
        if (Files.exists(keystore) || !Files.exists(legacy) || legacy.equals(keystore)) {
            return;
        }
        if (operatorGivesIt || !Files.exists(legacyPassword)) {
            throw new IllegalStateException("A keystore of an earlier version is at " + legacy
                    + ": move it to " + keystore + " (or set carnet.crypto.keystore-path to it) and give the"
                    + " password that opens it");
        }
        Files.createDirectories(Objects.requireNonNull(keystore.getParent()));
        Files.createDirectories(Objects.requireNonNull(demoFile.getParent()));
        Files.move(legacyPassword, demoFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(legacy, keystore);
        log.warn(
                "Moved the keystore of an earlier version out of the data directory: {} is now {}, its password {}",
                legacy,
                keystore,
                demoFile);
    }

    private static char[] read(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IllegalStateException("The keystore's password file is empty: " + file);
        }
        return password.toCharArray();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
