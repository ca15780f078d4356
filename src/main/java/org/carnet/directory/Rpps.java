package org.carnet.directory;

import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;

/** A practitioner's RPPS number: 11 digits, the last a Luhn check digit. */
public record Rpps(String value) {

    private static final Pattern SHAPE = Pattern.compile("\\d{11}");

    public Rpps {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidRequestException("rpps", "must be 11 digits");
        }
        if (!Luhn.isValid(value)) {
            throw new InvalidRequestException("rpps", "has a wrong check digit");
        }
    }

    /** A valid number from a 10-digit serial, with its check digit appended. */
    public static Rpps of(long serial) {
        String payload = String.format("%010d", serial);
        return new Rpps(payload + Luhn.checkDigit(payload));
    }
}
