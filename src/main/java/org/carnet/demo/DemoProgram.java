package org.carnet.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.clients.ClientDecision;
import org.carnet.clients.ClientView;
import org.carnet.clients.Clients;
import org.carnet.clients.NewClient;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Logins;
import org.carnet.shared.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The demo's connected program: an agenda program of the demo establishment, requested by its demo
 * administrator and approved by the demo security officer (the two-person rule holds for it too), so
 * that anyone trying Carnet can call the FHIR API in two commands (README, docs/api.md). Its key pair
 * is made here on first start; the private half goes only to {@code <data-dir>/demo-program/}, readable
 * by the owner alone, never to a log. Made again if that directory or the program is gone.
 */
@Component
class DemoProgram {

    static final String NAME = "Agenda de démonstration";
    static final List<String> SCOPES = List.of("system/Slot.rs", "system/Appointment.rs");
    static final String KEY_FILE = "private-key.pem";
    static final String CLIENT_ID_FILE = "client-id";
    static final String KEY_ID_FILE = "key-id";

    private static final Logger log = LoggerFactory.getLogger(DemoProgram.class);

    private final Clients clients;
    private final Logins logins;
    private final Path directory;

    DemoProgram(Clients clients, Logins logins, @Value("${carnet.data-dir:./data}") Path dataDir) {
        this.clients = clients;
        this.logins = logins;
        this.directory = dataDir.resolve("demo-program");
    }

    /** Registers and approves the demo program unless its key and an existing registration are on disk. */
    void ensure() {
        Optional<UUID> existing = registered();
        if (existing.isPresent() && Files.isRegularFile(directory.resolve(KEY_FILE))) {
            return;
        }
        Optional<Actor.Person> admin =
                logins.withEmail(DemoAccounts.ADMIN_EMAIL).map(CarnetPrincipal::person);
        Optional<Actor.Person> officer =
                logins.withEmail(DemoAccounts.SECURITY_OFFICER_EMAIL).map(CarnetPrincipal::person);
        if (admin.isEmpty() || officer.isEmpty()) {
            return; // not the demo accounts' database
        }
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_384)
                    .keyID("demo-" + UUID.randomUUID())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not make the demo program's key", e);
        }
        ClientView requested = clients.request(
                admin.get(),
                new NewClient(
                        NAME,
                        "Démonstration : synchronise l’agenda de l’établissement (créneaux et rendez-vous, patients"
                                + " sous pseudonyme)",
                        SCOPES,
                        Map.of("keys", List.of(key.toPublicJWK().toJSONObject()))));
        clients.decide(officer.get(), requested.clientId(), ClientDecision.APPROVE);
        write(key, requested.clientId());
        log.info(
                "Demo program {} approved; its private key is in {} (see README, \"Try the FHIR API\")",
                requested.clientId(),
                directory.resolve(KEY_FILE));
    }

    private Optional<UUID> registered() {
        Path idFile = directory.resolve(CLIENT_ID_FILE);
        if (!Files.isRegularFile(idFile)) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(Files.readString(idFile).strip());
            return clients.names(List.of(id)).containsKey(id) ? Optional.of(id) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The private key as PKCS#8 PEM (what openssl and the JDK read), its kid and the client id; owner-only. */
    private void write(ECKey key, UUID clientId) {
        try {
            boolean posix =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Files.createDirectories(directory);
            if (posix) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(key.toECPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            ownerOnly(directory.resolve(KEY_FILE), pem, posix);
            ownerOnly(directory.resolve(KEY_ID_FILE), key.getKeyID() + "\n", posix);
            ownerOnly(directory.resolve(CLIENT_ID_FILE), clientId + "\n", posix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the demo program's key", e);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not export the demo program's key", e);
        }
    }

    private static void ownerOnly(Path file, String content, boolean posix) throws IOException {
        Files.deleteIfExists(file);
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
