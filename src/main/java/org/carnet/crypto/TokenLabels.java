package org.carnet.crypto;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of key labels on a PKCS#11 token: the configured label ({@code carnet-master-1}), then the labels
 * rotation gives the next keys ({@code carnet-master-2}, …). The highest number is the current key.
 *
 * @param base the label without its number
 * @param first the configured label's own number (1 when it has none)
 */
record TokenLabels(String base, int first) {

    private static final Pattern NUMBERED = Pattern.compile("(.+)-([0-9]{1,9})");

    static TokenLabels of(String configured) {
        Matcher numbered = NUMBERED.matcher(configured);
        return numbered.matches()
                ? new TokenLabels(numbered.group(1), Integer.parseInt(numbered.group(2)))
                : new TokenLabels(configured, 1);
    }

    /** The number in a label of the family (the configured label's own, or the one after its dash); -1 for others. */
    int number(String label) {
        if (label.equals(base)) {
            return first;
        }
        Matcher numbered = NUMBERED.matcher(label);
        return numbered.matches() && numbered.group(1).equals(base) ? Integer.parseInt(numbered.group(2)) : -1;
    }

    /** Whether the label is one of the family's, written as the family writes it. */
    boolean contains(String label) {
        return label.equals(base) || label.equals(base + "-" + number(label));
    }

    /** The label of the key after this one. */
    String next(String label) {
        return base + "-" + (number(label) + 1);
    }
}
