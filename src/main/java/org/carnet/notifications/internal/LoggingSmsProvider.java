package org.carnet.notifications.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development SMS: each one written to {@code <folder>/<outbox id>.sms.txt} (number and text), beside
 * the {@code .eml} files; the log says only that an SMS went to a number ending in two digits.
 */
class LoggingSmsProvider implements SmsProvider {

    private static final Logger log = LoggerFactory.getLogger(LoggingSmsProvider.class);

    private final Path folder;

    LoggingSmsProvider(Path folder) {
        this.folder = folder;
    }

    @Override
    public void send(UUID id, String phone, String text) throws Exception {
        Files.createDirectories(folder);
        Path partial = folder.resolve(id + ".sms.part");
        Files.writeString(partial, "To: " + phone + "\n\n" + text + "\n", StandardCharsets.UTF_8);
        Files.move(
                partial,
                folder.resolve(id + ".sms.txt"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        log.info(
                "SMS {} to {} ({} characters) written to the outbox folder",
                id,
                SmsProvider.masked(phone),
                text.length());
    }
}
