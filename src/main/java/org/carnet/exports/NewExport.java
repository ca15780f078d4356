package org.carnet.exports;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * An administrator's request for an export of their establishment.
 *
 * @param recipient who receives it (the new software vendor, the establishment itself)
 * @param recipientKey the recipient's ASCII-armoured OpenPGP public key
 * @param scope what it holds
 * @param from the first day of the appointments it holds
 * @param to the last day
 * @param recipientNetworks the networks the recipient downloads from (CIDR; optional: none, from anywhere)
 */
public record NewExport(
        String recipient,
        String recipientKey,
        Set<ExportScope> scope,
        LocalDate from,
        LocalDate to,
        List<String> recipientNetworks) {

    public NewExport {
        recipientNetworks = List.copyOf(recipientNetworks);
    }

    /** Without declared networks: downloadable from anywhere. */
    public NewExport(String recipient, String recipientKey, Set<ExportScope> scope, LocalDate from, LocalDate to) {
        this(recipient, recipientKey, scope, from, to, List.of());
    }

    @Override
    public String toString() {
        return "NewExport[scope=" + scope + ", from=" + from + ", to=" + to + ", recipient redacted]";
    }
}
