package org.carnet.exports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An export as its administrator and the security officer see it.
 *
 * @param recipientNetworks the networks its recipient may download it from (CIDR); empty: from anywhere
 * @param status {@code REQUESTED}, {@code APPROVED} (the link works), {@code DOWNLOADED} or {@code EXPIRED}
 */
public record ExportView(
        UUID id,
        UUID establishmentId,
        List<ExportScope> scope,
        LocalDate from,
        LocalDate to,
        String recipient,
        String recipientKeyFingerprint,
        List<String> recipientNetworks,
        UUID requestedBy,
        Instant requestedAt,
        @Nullable UUID approvedBy,
        @Nullable Instant approvedAt,
        @Nullable Instant linkExpiresAt,
        @Nullable Instant downloadedAt,
        @Nullable Integer rowsExported,
        String status) {}
