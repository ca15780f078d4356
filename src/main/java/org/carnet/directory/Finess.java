package org.carnet.directory;

import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;

/**
 * An establishment's FINESS number: 9 characters, the department first (two digits, or 2A / 2B
 * for Corsica), the last one a Luhn check digit. For Corsica the check is computed with the
 * department read as 20, as the check digit is defined on digits only.
 */
public record Finess(String value) {

    private static final Pattern SHAPE = Pattern.compile("(\\d{2}|2A|2B)\\d{7}");

    public Finess {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new InvalidRequestException("finess", "must be 9 characters: a department then 7 digits");
        }
        if (!Luhn.isValid(value.replace('A', '0').replace('B', '0'))) {
            throw new InvalidRequestException("finess", "has a wrong check digit");
        }
    }

    /** A valid number made of a department and a 6-digit serial, with its check digit appended. */
    public static Finess of(String department, int serial) {
        String payload = department + String.format("%06d", serial);
        return new Finess(payload + Luhn.checkDigit(payload.replace('A', '0').replace('B', '0')));
    }
}
