package org.carnet.exports;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The networks an export's recipient downloads it from, as its request declared them (CIDR, IPv4 or IPv6):
 * a download from an address outside them is refused and reported to breach detection. Empty: declared none,
 * the link works from anywhere. Only address literals are read (never a name: no DNS look-up), and a network
 * wider than an IPv4 /8 or an IPv6 /32 is refused: that is "anywhere" under another name.
 */
public record RecipientNetworks(List<String> cidrs) {

    /** At most this many networks an export. */
    public static final int MAX = 16;

    static final int MIN_IPV4_PREFIX = 8;
    static final int MIN_IPV6_PREFIX = 32;

    private static final String FIELD = "recipientNetworks";
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    public static final RecipientNetworks ANYWHERE = new RecipientNetworks(List.of());

    public RecipientNetworks {
        cidrs = List.copyOf(cidrs);
    }

    /**
     * Reads the networks a request names, each {@code address/prefix} or a single address; answers them in
     * canonical form, without duplicates.
     *
     * @throws InvalidRequestException (field {@code recipientNetworks}) for more than {@link #MAX}, a value that
     *     is not an address literal, a prefix out of range or too wide, or an address with bits set after its
     *     prefix
     */
    public static RecipientNetworks parse(@Nullable List<String> typed) {
        if (typed == null || typed.isEmpty()) {
            return ANYWHERE;
        }
        if (typed.size() > MAX) {
            throw new InvalidRequestException(FIELD, "at most " + MAX + " networks");
        }
        Set<String> cidrs = new LinkedHashSet<>();
        for (String value : typed) {
            cidrs.add(Network.parse(value).toString());
        }
        return new RecipientNetworks(new ArrayList<>(cidrs));
    }

    /** Whether none was declared: the link works from anywhere. */
    public boolean anywhere() {
        return cidrs.isEmpty();
    }

    /** Whether a download from this address (as the server saw it) is expected. */
    public boolean allow(@Nullable String remoteAddress) {
        if (anywhere()) {
            return true;
        }
        InetAddress address = literal(remoteAddress);
        if (address == null) {
            return false;
        }
        for (String cidr : cidrs) {
            if (Network.parse(cidr).contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One network: its first address and prefix length. */
    record Network(InetAddress address, int prefix) {

        static Network parse(@Nullable String typed) {
            String value = typed == null ? "" : typed.strip();
            int slash = value.indexOf('/');
            String host = slash < 0 ? value : value.substring(0, slash);
            InetAddress address = literal(host);
            if (address == null) {
                throw new InvalidRequestException(FIELD, "each must be an IPv4 or IPv6 address or network (CIDR)");
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String length = value.substring(slash + 1);
                if (!PREFIX.matcher(length).matches() || Integer.parseInt(length) > bits) {
                    throw new InvalidRequestException(FIELD, "a prefix length is 0 to " + bits);
                }
                prefix = Integer.parseInt(length);
            }
            int narrowest = address instanceof Inet4Address ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX;
            if (prefix < narrowest) {
                throw new InvalidRequestException(
                        FIELD, "a network is at most /" + narrowest + " wide (wider is anywhere under another name)");
            }
            Network network = new Network(address, prefix);
            if (!network.contains(address) || !network.firstAddress().equals(address)) {
                throw new InvalidRequestException(
                        FIELD, "bits are set after a prefix: write the network's first address");
            }
            return network;
        }

        boolean contains(InetAddress candidate) {
            byte[] mine = address.getAddress();
            byte[] theirs = candidate.getAddress();
            if (mine.length != theirs.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (mine[i] != theirs[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (mine[whole] & mask) == (theirs[whole] & mask);
        }

        InetAddress firstAddress() {
            byte[] bytes = address.getAddress();
            for (int bit = prefix; bit < bytes.length * 8; bit++) {
                bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return address.getHostAddress() + "/" + prefix;
        }
    }

    /** An address literal, never resolved as a name; {@code null} when it is not one. */
    private static @Nullable InetAddress literal(@Nullable String value) {
        if (value == null) {
            return null;
        }
        boolean v4 = IPV4.matcher(value).matches();
        boolean v6 = value.indexOf(':') >= 0 && IPV6.matcher(value).matches();
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : value.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // A literal: getByName reads it without a look-up (IPv4-mapped IPv6 comes back as IPv4).
            return InetAddress.getByName(v6 ? "[" + value + "]" : value);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
