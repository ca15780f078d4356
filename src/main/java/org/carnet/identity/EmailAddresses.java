package org.carnet.identity;

import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;

/** The shape an e-mail address typed into a page must have before it becomes a login's. */
public final class EmailAddresses {

    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$");

    private EmailAddresses() {}

    /**
     * The address, trimmed.
     *
     * @throws InvalidRequestException (field {@code email}) when it is not shaped like an address
     */
    public static String checked(String typed) {
        String value = typed == null ? "" : typed.strip();
        if (value.length() > 254 || !SHAPE.matcher(value).matches()) {
            throw new InvalidRequestException("email", "must be an e-mail address");
        }
        return value;
    }
}
