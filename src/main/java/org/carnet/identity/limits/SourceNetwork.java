package org.carnet.identity.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;
import org.carnet.shared.AddressLiteral;

/**
 * The source a rate limit counts: an IPv4 address, or the /64 network of an IPv6 address (one
 * subscriber usually holds a whole /64, and would otherwise get 2^64 budgets).
 */
public final class SourceNetwork {

    private SourceNetwork() {}

    /** The bucket name part for a client address as the servlet container reports it. */
    public static String of(String remoteAddress) {
        Optional<InetAddress> parsed = AddressLiteral.parse(remoteAddress);
        if (parsed.isEmpty()) {
            // Not an address literal (a Unix socket, a proxy's placeholder): counted as it is, never resolved.
            return "other:" + AddressLiteral.stripped(remoteAddress);
        }
        InetAddress address = parsed.get();
        if (address instanceof Inet6Address) {
            byte[] network = new byte[8];
            System.arraycopy(address.getAddress(), 0, network, 0, 8);
            return "v6:" + HexFormat.of().formatHex(network) + "/64";
        }
        // IPv4, including an IPv4-mapped IPv6 address, which the JDK gives back as IPv4.
        return "v4:" + address.getHostAddress();
    }
}
