package org.carnet.audit;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.carnet.shared.AddressLiteral;
import org.jspecify.annotations.Nullable;

/**
 * What the audit log keeps of the address an access came from: its network, never the address. An
 * IPv4 address is cut to its /24 and an IPv6 address to its /48 (a site), so an entry still says where
 * in the world a request came from, for an investigation, without naming a patient's own connection.
 * The address itself is never stored.
 */
final class SourcePrefix {

    static final int IPV4_BITS = 24;
    static final int IPV6_BITS = 48;

    private SourcePrefix() {}

    /** The network in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8:1::/48}); null for no IP literal. */
    static @Nullable String of(@Nullable String remoteAddress) {
        if (remoteAddress == null) {
            return null;
        }
        return AddressLiteral.parse(remoteAddress).map(SourcePrefix::network).orElse(null);
    }

    private static String network(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // The first three 16-bit groups; the 80 bits after them are zero, written "::".
            StringBuilder text = new StringBuilder();
            for (int group = 0; group < IPV6_BITS / 16; group++) {
                text.append(Integer.toHexString(((bytes[2 * group] & 0xff) << 8) | (bytes[2 * group + 1] & 0xff)))
                        .append(':');
            }
            return text.append(":/").append(IPV6_BITS).toString();
        }
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/" + IPV4_BITS;
    }
}
