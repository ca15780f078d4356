package org.carnet.directory;

/** The Luhn check digit used by FINESS and RPPS numbers. */
final class Luhn {

    private Luhn() {}

    /** Whether a string of digits ends with a valid Luhn check digit. */
    static boolean isValid(CharSequence digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /** The check digit that makes {@code payload + digit} valid. */
    static int checkDigit(CharSequence payload) {
        for (int digit = 0; digit <= 9; digit++) {
            if (isValid(payload.toString() + digit)) {
                return digit;
            }
        }
        throw new IllegalArgumentException("not digits");
    }
}
