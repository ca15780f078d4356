package org.carnet.identity.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * The source a rate limit counts: an IPv4 address, or the /64 network of an IPv6 address (one
 * subscriber usually holds a whole /64, and would otherwise get 2^64 budgets).
 */
public final class SourceNetwork {

    private SourceNetwork() {}

    /** The bucket name part for a client address as the servlet container reports it. */
    public static String of(String remoteAddress) {
        String literal = remoteAddress.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]{2,45}");
        if (!ipv4 && !ipv6) {
            // Not an address literal (a Unix socket, a proxy's placeholder): counted as it is, never resolved.
            return "other:" + literal;
        }
        try {
            // A literal only (checked above): the JDK parses it without any name look-up.
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet6Address) {
                byte[] network = new byte[8];
                System.arraycopy(address.getAddress(), 0, network, 0, 8);
                return "v6:" + HexFormat.of().formatHex(network) + "/64";
            }
            // IPv4, including an IPv4-mapped IPv6 address, which the JDK gives back as IPv4.
            return "v4:" + address.getHostAddress();
        } catch (UnknownHostException e) {
            return "other:" + literal;
        }
    }
}
