package org.carnet.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A client address as the servlet container reports it, parsed only when it is an IP literal: never
 * resolved through a name look-up. Brackets and an IPv6 zone are dropped; an IPv4-mapped IPv6 address
 * comes back as IPv4.
 */
public final class AddressLiteral {

    private AddressLiteral() {}

    /** The address, or empty when the text is not an IPv4 or IPv6 literal (a Unix socket, a proxy's placeholder). */
    public static Optional<InetAddress> parse(String remoteAddress) {
        String literal = stripped(remoteAddress);
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]{2,45}");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            // A literal only (checked above): the JDK parses it without any name look-up.
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The text without brackets and zone, as compared when it is not a literal. */
    public static String stripped(String remoteAddress) {
        String literal = remoteAddress.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        return zone >= 0 ? literal.substring(0, zone) : literal;
    }
}
