package org.carnet.exports.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * One export's keyed marks: for a value, which of its equivalent spellings the export writes, chosen
 * by HMAC-SHA-256 under the export's secret of the value's meaning (its {@link Mark#anchor}), so that
 * the choice survives any handling that keeps the spelling (reordering, dropping columns, changing
 * format) and is independent, for anyone without the secret, from the spellings an unrelated file
 * uses. Not thread-safe (one per export and thread). See docs/exports.md.
 */
public final class Marks {

    /** The kinds of mark, with how many spellings each chooses among. */
    public enum Kind {
        /** A French phone number: {@code 06 12 34 56 78}, {@code 06.12.34.56.78}, {@code 0612345678}, {@code +33 6 12 34 56 78}. */
        PHONE(4),
        /** A name: {@code DUPONT} or {@code Dupont}. */
        NAME(2),
        /** A date in the CSV files: {@code 1980-03-14} or {@code 14/03/1980}. */
        DATE(2);

        private final int choices;

        Kind(int choices) {
            this.choices = choices;
        }

        public int choices() {
            return choices;
        }
    }

    /**
     * A value seen in a file, reduced to what a mark reads: its meaning and which spelling it has.
     *
     * @param anchor the meaning (a phone's ten digits, a name in lower case, an ISO date)
     * @param spelling which of the kind's spellings it is
     */
    public record Mark(Kind kind, String anchor, int spelling) {}

    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s.\\-]");
    private static final Pattern FRENCH_NUMBER = Pattern.compile("0[1-9][0-9]{8}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}][\\p{L} '\\-]{1,59}");
    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern FRENCH_DATE = Pattern.compile("[0-9]{2}/[0-9]{2}/[0-9]{4}");
    private static final DateTimeFormatter DAY_FIRST = DateTimeFormatter.ofPattern("dd/MM/uuuu", Locale.ROOT);

    private final Mac mac;

    public Marks(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A keyed choice in {@code [0, choices)} for this purpose and value: uniform for anyone without the secret. */
    public int choice(String purpose, String value, int choices) {
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] h = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        long n = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
        return (int) (n % choices);
    }

    /** Keyed bytes for this purpose and value (canary records, row order). */
    public byte[] bytes(String purpose, String value) {
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 1);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The spelling this export expects for a mark's meaning. */
    public int expected(Kind kind, String anchor) {
        return choice(kind.name(), anchor, kind.choices());
    }

    /** The phone as this export writes it; a number that is not French is written as it was typed. */
    public String phone(String typed) {
        String digits = frenchDigits(typed);
        return digits == null ? typed.strip() : phoneSpelling(digits, expected(Kind.PHONE, digits));
    }

    /** A name as this export writes it: in capitals or with capital initials. */
    public String name(String typed) {
        String value = typed.strip();
        if (!NAME.matcher(value).matches()) {
            return value;
        }
        String anchor = value.toLowerCase(Locale.ROOT);
        return expected(Kind.NAME, anchor) == 0 ? value.toUpperCase(Locale.ROOT) : titleCase(anchor);
    }

    /** A date as this export's CSV files write it. */
    public String date(LocalDate date) {
        String iso = date.toString();
        return expected(Kind.DATE, iso) == 0 ? iso : DAY_FIRST.format(date);
    }

    /** What a value seen in a file tells, if it has a spelling a mark chooses; {@code null} when none. */
    public static @Nullable Mark read(String seen) {
        String value = seen.strip();
        if (value.startsWith("'")) {
            value = value.substring(1); // a spreadsheet's guard against formulas
        }
        if (value.isEmpty() || value.length() > 60) {
            return null;
        }
        char first = value.charAt(0);
        if (first == '+' || first == '0') {
            String digits = frenchDigits(value);
            if (digits != null) {
                for (int spelling = 0; spelling < Kind.PHONE.choices(); spelling++) {
                    if (phoneSpelling(digits, spelling).equals(value)) {
                        return new Mark(Kind.PHONE, digits, spelling);
                    }
                }
                return null;
            }
        }
        if (ISO_DATE.matcher(value).matches()) {
            return validDate(value) ? new Mark(Kind.DATE, value, 0) : null;
        }
        if (FRENCH_DATE.matcher(value).matches()) {
            String iso = value.substring(6) + "-" + value.substring(3, 5) + "-" + value.substring(0, 2);
            return validDate(iso) ? new Mark(Kind.DATE, iso, 1) : null;
        }
        if (NAME.matcher(value).matches()) {
            String anchor = value.toLowerCase(Locale.ROOT);
            if (value.equals(value.toUpperCase(Locale.ROOT)) && !value.equals(anchor)) {
                return new Mark(Kind.NAME, anchor, 0);
            }
            if (value.equals(titleCase(anchor)) && !value.equals(anchor)) {
                return new Mark(Kind.NAME, anchor, 1);
            }
        }
        return null;
    }

    private static boolean validDate(String iso) {
        try {
            LocalDate.parse(iso);
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** A French number's ten digits ({@code 0612345678}), or {@code null}. */
    static @Nullable String frenchDigits(String typed) {
        String compact = PHONE_SEPARATORS.matcher(typed.strip()).replaceAll("");
        if (compact.startsWith("+33")) {
            compact = "0" + compact.substring(3);
        } else if (compact.startsWith("0033")) {
            compact = "0" + compact.substring(4);
        }
        return FRENCH_NUMBER.matcher(compact).matches() ? compact : null;
    }

    private static String phoneSpelling(String digits, int spelling) {
        String pairs = digits.substring(0, 2) + " " + digits.substring(2, 4) + " " + digits.substring(4, 6) + " "
                + digits.substring(6, 8) + " " + digits.substring(8, 10);
        return switch (spelling) {
            case 0 -> pairs;
            case 1 -> pairs.replace(' ', '.');
            case 2 -> digits;
            default -> "+33 " + digits.charAt(1) + " " + pairs.substring(3);
        };
    }

    private static String titleCase(String lower) {
        StringBuilder out = new StringBuilder(lower.length());
        boolean start = true;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == ' ' || c == '-' || c == '\'';
        }
        return out.toString();
    }
}
