package org.carnet.identity;

import java.util.Locale;
import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;

/**
 * The one rule for e-mail addresses, kept by identity, which owns them: the shape an address must
 * have ({@link EmailAddress} on request fields, {@link #checked} elsewhere), the form it is stored
 * and shown in (as typed, trimmed), and the form it is compared and indexed in ({@link #normalised}).
 */
public final class EmailAddresses {

    static final int MAX_LENGTH = 254;
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$");

    private EmailAddresses() {}

    /** Whether a typed address has the shape of one, once trimmed; blank is not an address. */
    public static boolean isValid(String typed) {
        String value = typed == null ? "" : typed.strip();
        return value.length() <= MAX_LENGTH && SHAPE.matcher(value).matches();
    }

    /**
     * The address, trimmed.
     *
     * @throws InvalidRequestException (field {@code email}) when it is not shaped like an address
     */
    public static String checked(String typed) {
        if (!isValid(typed)) {
            throw new InvalidRequestException("email", "must be an e-mail address");
        }
        return typed.strip();
    }

    /** The form two addresses are compared and indexed in: trimmed, lower case. */
    static String normalised(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }
}
