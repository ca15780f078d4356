package org.carnet.patients;

import java.math.BigInteger;
import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A French social security number (NIR): 13 characters then a 2-digit key equal to 97 minus the
 * first 13 digits modulo 97, Corsica's departments 2A and 2B read as 19 and 18. Its {@code
 * toString} never shows the number.
 */
public record Nir(String value) {

    /** The blind index's purpose for a NIR: one index for every look-up by NIR. */
    static final String INDEX_PURPOSE = "nir";

    private static final Pattern SHAPE = Pattern.compile("[1-8]\\d{4}(\\d{2}|2A|2B)\\d{8}");
    private static final BigInteger NINETY_SEVEN = BigInteger.valueOf(97);

    public Nir {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw wrongShape();
        }
        String body = value.substring(0, 13);
        String digits = body.substring(0, 5) + corsica(body.substring(5, 7)) + body.substring(7);
        int expected = 97 - new BigInteger(digits).mod(NINETY_SEVEN).intValue();
        if (expected != Integer.parseInt(value.substring(13))) {
            throw new InvalidRequestException("nir", "has a wrong key");
        }
    }

    /** Spaces are common when people type a NIR; they carry no meaning. */
    public static Nir parse(@Nullable String typed) {
        if (typed == null) {
            throw wrongShape();
        }
        return new Nir(typed.replace(" ", "").toUpperCase(java.util.Locale.ROOT));
    }

    private static InvalidRequestException wrongShape() {
        return new InvalidRequestException(
                "nir", "must be 15 characters: 13 digits (2A or 2B for Corsica) and a 2-digit key");
    }

    private static String corsica(String department) {
        return switch (department) {
            case "2A" -> "19";
            case "2B" -> "18";
            default -> department;
        };
    }

    @Override
    public String toString() {
        return "Nir[redacted]";
    }
}
