package org.carnet.backup;

import org.jspecify.annotations.Nullable;

/** Database error messages fit for the operator's terminal: they may quote the dump, so quotes go. */
final class Redaction {

    private static final int LONGEST = 200;

    private Redaction() {}

    /**
     * The first line of a database or tool error, with every quoted part (a statement, a value) replaced
     * by {@code "…"} and cut short.
     */
    static String sqlError(@Nullable String message) {
        if (message == null || message.isBlank()) {
            return "no message";
        }
        String line = message.lines().findFirst().orElse("");
        int quote = line.indexOf('"');
        int apostrophe = line.indexOf('\'');
        int first = quote < 0 ? apostrophe : apostrophe < 0 ? quote : Math.min(quote, apostrophe);
        if (first >= 0) {
            // From the first quote on, a message may carry the statement or a value: keep only what precedes it.
            line = line.substring(0, first) + "\"…\"";
        }
        return line.length() > LONGEST ? line.substring(0, LONGEST) + "…" : line;
    }
}
