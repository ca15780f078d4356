package org.carnet.notifications.internal;

import jakarta.mail.internet.MimeMessage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The embedded default's e-mail: each message written to {@code <folder>/<outbox id>.eml}, which a mail
 * program opens. Written to a temporary file then moved into place, so a file is whole or absent; a
 * message delivered again overwrites its own file.
 */
class FolderMailTransport implements MailTransport {

    private final Path folder;
    private final MimeMessages messages;

    FolderMailTransport(Path folder, MimeMessages messages) {
        this.folder = folder;
        this.messages = messages;
    }

    @Override
    public void send(UUID id, Envelope envelope) throws Exception {
        MimeMessage message = messages.build(MimeMessages.localSession(), id, envelope);
        Files.createDirectories(folder);
        Path partial = folder.resolve(id + ".eml.part");
        try (OutputStream out = Files.newOutputStream(partial)) {
            message.writeTo(out);
        }
        Files.move(
                partial,
                folder.resolve(id + ".eml"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    Path folder() {
        return folder;
    }

    @Override
    public String toString() {
        return "FolderMailTransport[" + folder + "]";
    }
}
