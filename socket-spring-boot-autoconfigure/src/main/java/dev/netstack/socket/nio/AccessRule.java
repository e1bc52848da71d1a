package dev.netstack.socket.nio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of an {@link AccessPolicy}: a CIDR block, optionally limited to one port. Parsed without DNS; see
 * {@link AccessPolicy} for the syntax.
 */
final class AccessRule {

    private static final Pattern IPV4 = Pattern
        .compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** {@code [v6]}, then an optional {@code /bits}, then an optional {@code :port}. */
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]/]*)\\](?:/([^:]*))?(?::(.*))?");

    /** The first 12 bytes of an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
    private static final byte[] MAPPED_PREFIX = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff };

    /** The network, masked: 4 bytes for IPv4, 16 for IPv6. */
    private final byte[] network;

    private final int prefixLength;

    /** The port, or 0 for every port. */
    private final int port;

    private AccessRule(byte[] network, int prefixLength, int port) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.port = port;
    }

    /**
     * Parses an entry.
     * @param entry e.g. {@code 10.0.0.0/8:53}, {@code ::1/128}, {@code [::1]/128:8080}
     * @return the rule
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    static AccessRule parse(String entry) {
        if (entry == null) {
            throw new IllegalArgumentException("access entry must not be null");
        }
        String text = entry.trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("access entry '" + entry + "' is empty");
        }
        String address;
        String port = null;
        if (text.startsWith("[")) {
            Matcher bracketed = BRACKETED.matcher(text);
            if (!bracketed.matches()) {
                throw invalid(entry, "is not of the form [IPv6]/bits:port, e.g. [::1]/128:8080");
            }
            if (bracketed.group(1).indexOf(':') < 0) {
                throw invalid(entry, "puts '" + bracketed.group(1) + "' in brackets, which are for IPv6 only");
            }
            address = (bracketed.group(2) != null) ? bracketed.group(1) + "/" + bracketed.group(2) : bracketed.group(1);
            port = bracketed.group(3);
        }
        else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            // One colon: an IPv4 block with a port. Every IPv6 address has at least two.
            address = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        else {
            // IPv4 without a port, or IPv6 without brackets, whose colons all belong to the address.
            address = text;
        }
        String bits = null;
        int slash = address.indexOf('/');
        if (slash >= 0) {
            bits = address.substring(slash + 1);
            address = address.substring(0, slash);
        }
        byte[] network = address(entry, address);
        int maxBits = network.length * 8;
        int prefixLength = (bits == null) ? maxBits : number(entry, "prefix length", bits, 0, maxBits);
        int portNumber = (port == null) ? 0 : number(entry, "port", port, 1, 65535);
        if (network.length == 16 && prefixLength >= 96 && startsWith(network, MAPPED_PREFIX)) {
            // An IPv4-mapped block is an IPv4 block: addresses are matched as IPv4 whichever form they arrive in.
            network = Arrays.copyOfRange(network, 12, 16);
            prefixLength -= 96;
        }
        byte[] masked = mask(network, prefixLength);
        if (!Arrays.equals(masked, network)) {
            throw invalid(entry, "has bits set after its /" + prefixLength + " prefix; did you mean "
                    + text(masked, prefixLength, portNumber) + "?");
        }
        return new AccessRule(masked, prefixLength, portNumber);
    }

    /**
     * Tells whether an address and port fall in this rule.
     * @param address the address, as {@link #normalize(InetAddress)} returns it
     * @param port the port
     * @return whether the rule matches
     */
    boolean matches(byte[] address, int port) {
        if (address.length != this.network.length || (this.port != 0 && this.port != port)) {
            return false;
        }
        int full = this.prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != this.network[i]) {
                return false;
            }
        }
        int rest = this.prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (this.network[full] & 0xff);
    }

    /**
     * Returns the bytes an address is matched by: IPv4-mapped IPv6 addresses become their IPv4 address.
     * @param address the address
     * @return 4 or 16 bytes
     */
    static byte[] normalize(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && startsWith(bytes, MAPPED_PREFIX)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return text(this.network, this.prefixLength, this.port);
    }

    private static String text(byte[] network, int prefixLength, int port) {
        String address;
        try {
            address = Addresses.literal(InetAddress.getByAddress(network));
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("4 or 16 bytes are always an address", ex);
        }
        if (network.length == 4) {
            return address + "/" + prefixLength + ((port != 0) ? ":" + port : "");
        }
        return (port != 0) ? "[" + address + "]/" + prefixLength + ":" + port : address + "/" + prefixLength;
    }

    private static byte[] address(String entry, String text) {
        if (text.isEmpty()) {
            throw invalid(entry, "has no address");
        }
        if (text.indexOf(':') < 0) {
            if (!IPV4.matcher(text).matches()) {
                throw invalid(entry, "has '" + text + "', which is not an IPv4 address (four numbers 0..255)");
            }
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(parts[i]);
            }
            return bytes;
        }
        if (text.indexOf('%') >= 0) {
            throw invalid(entry, "has a scope in '" + text + "'; scoped addresses are not supported");
        }
        try {
            // Brackets make the JDK parse an IPv6 literal or fail; without them a malformed one goes to DNS.
            InetAddress parsed = InetAddress.getByName("[" + text + "]");
            // The JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the 16 bytes so that the prefix counts them.
            return (parsed instanceof Inet6Address) ? parsed.getAddress() : mapped(parsed.getAddress());
        }
        catch (UnknownHostException ex) {
            throw invalid(entry, "has '" + text + "', which is not an IPv6 address");
        }
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] bytes = Arrays.copyOf(MAPPED_PREFIX, 16);
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }

    private static int number(String entry, String what, String text, int min, int max) {
        if (!text.matches("\\d{1,6}")) {
            throw invalid(entry, "has " + what + " '" + text + "', which is not a number " + min + ".." + max);
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            throw invalid(entry, "has " + what + " " + value + ", out of range " + min + ".." + max);
        }
        return value;
    }

    private static byte[] mask(byte[] network, int prefixLength) {
        byte[] masked = network.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static IllegalArgumentException invalid(String entry, String what) {
        return new IllegalArgumentException("access entry '" + entry + "' " + what);
    }

}
