package org.carnet.exports;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An export's download link, still usable, presented from an address outside the networks its request
 * declared: the link may have left the recipient (a forwarded e-mail, a stolen laptop on another network).
 * The download was refused and the link kept for the recipient; breach detection opens an incident naming
 * the export. The address is kept for the officer's investigation only (sealed on the incident's timeline):
 * redacted from {@code toString}.
 *
 * @param from the address the attempt came from, as the server saw it
 */
public record ExportDownloadRefused(
        UUID exportId, UUID establishmentId, @Nullable String from, Instant at) {
    @Override
    public String toString() {
        return "ExportDownloadRefused[" + exportId + ", address redacted]";
    }
}
