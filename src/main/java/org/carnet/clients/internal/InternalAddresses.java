package org.carnet.clients.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses a program's key server must not have: whatever is not the public internet, so that a
 * registered JWKS URL cannot make Carnet reach its own host, its network or a cloud metadata service.
 */
final class InternalAddresses {

    private InternalAddresses() {}

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT, 100.64.0.0/10
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking, 198.18.0.0/15
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address v6) {
            if ((bytes[0] & 0xfe) == 0xfc) { // unique local, fc00::/7
                return true;
            }
            if (v6.isIPv4CompatibleAddress() || isNat64(bytes)) {
                byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isInternal(InetAddress.getByAddress(v4));
                } catch (java.net.UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    /** 64:ff9b::/96, the well-known NAT64 prefix, which carries an IPv4 address in its last 4 bytes. */
    private static boolean isNat64(byte[] bytes) {
        byte[] prefix = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
