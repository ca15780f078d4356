package org.carnet.exports;

import java.time.LocalDate;
import java.util.Set;

/**
 * An administrator's request for an export of their establishment.
 *
 * @param recipient who receives it (the new software vendor, the establishment itself)
 * @param recipientKey the recipient's ASCII-armoured OpenPGP public key
 * @param scope what it holds
 * @param from the first day of the appointments it holds
 * @param to the last day
 */
public record NewExport(String recipient, String recipientKey, Set<ExportScope> scope, LocalDate from, LocalDate to) {
    @Override
    public String toString() {
        return "NewExport[scope=" + scope + ", from=" + from + ", to=" + to + ", recipient redacted]";
    }
}
