package org.carnet.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;
import org.carnet.notifications.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default writes e-mail as {@code .eml} files a mail program opens, whole or not at all,
 * once per message however often it is delivered; with a DKIM key every message carries a signature
 * whose body hash matches the body sent.
 */
class MailFormatsTest {

    private static final Envelope ENVELOPE = new Envelope(
            Channel.EMAIL, "patient@example.test", "Carnet : test", "Bonjour Testfirst,\n\nTexte.\n", "<p>Texte.</p>");

    @TempDir
    Path folder;

    @Test
    void theEmbeddedDefaultWritesOneEmlFilePerMessage() throws Exception {
        MailProperties properties = properties(null);
        FolderMailTransport transport =
                new FolderMailTransport(folder, new MimeMessages(properties, new DkimSigning(properties)));
        UUID id = UUID.randomUUID();
        transport.send(id, ENVELOPE);
        transport.send(id, ENVELOPE); // delivered again after a lost acknowledgement: the same file

        try (var files = Files.list(folder)) {
            assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly(id + ".eml");
        }
        MimeMessage read;
        try (InputStream in = Files.newInputStream(folder.resolve(id + ".eml"))) {
            read = new MimeMessage(MimeMessages.localSession(), in);
        }
        assertThat(read.getSubject()).isEqualTo("Carnet : test");
        assertThat(read.getMessageID()).isEqualTo("<" + id + "@carnet.localhost>");
        assertThat(read.getAllRecipients()[0].toString()).isEqualTo("patient@example.test");
        assertThat(read.getHeader("DKIM-Signature")).isNull();
    }

    @Test
    void withAKeyEveryMessageIsDkimSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path key = folder.resolve("dkim.pem");
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        MailProperties properties = properties(key);
        MimeMessages messages = new MimeMessages(properties, new DkimSigning(properties));
        MimeMessage message = messages.build(MimeMessages.localSession(), UUID.randomUUID(), ENVELOPE);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        String sent = raw.toString(StandardCharsets.UTF_8);

        String signature = sent.substring(sent.indexOf("DKIM-Signature:"), sent.indexOf("\r\n", sent.indexOf("b=")));
        assertThat(signature)
                .contains("d=carnet.localhost")
                .contains("s=carnet")
                .contains("a=rsa-sha256");
        // bh= is the hash of the body as sent (relaxed canonicalisation: trailing blanks and empty lines at the end
        // dropped).
        String body = sent.substring(sent.indexOf("\r\n\r\n") + 4);
        String relaxed =
                body.replaceAll("[ \\t]+\\r\\n", "\r\n")
                                .replaceAll("[ \\t]+", " ")
                                .replaceAll("(\\r\\n)+$", "") + "\r\n";
        String bodyHash = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(relaxed.getBytes(StandardCharsets.UTF_8)));
        String unfolded = sent.replaceAll("\\r\\n[ \\t]+", " ");
        String bh = unfolded.substring(unfolded.indexOf("bh=") + 3, unfolded.indexOf(';', unfolded.indexOf("bh=")))
                .replace(" ", "");
        assertThat(body).as("no bare LF on the wire").doesNotContainPattern("[^\r]\n");
        assertThat(bh).isEqualTo(bodyHash);
    }

    private static MailProperties properties(Path dkimKey) {
        return new MailProperties(
                "Carnet <ne-pas-repondre@carnet.localhost>",
                Path.of("unused"),
                new MailProperties.Dkim(dkimKey, null, "carnet"));
    }
}
