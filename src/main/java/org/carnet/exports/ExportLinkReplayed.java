package org.carnet.exports;

import java.time.Instant;
import java.util.UUID;

/**
 * An export's download link presented again after the recipient's one download, or after it expired:
 * whoever holds it now may not be the recipient (a copied link, a forwarded e-mail), so breach detection
 * opens an incident naming the export. Ids and a time only.
 *
 * @param afterDownload true when the export was already downloaded, false when the link had expired unused
 */
public record ExportLinkReplayed(UUID exportId, UUID establishmentId, boolean afterDownload, Instant at) {}
