package dev.netstack.socket.nio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketRemoteInfo;

/**
 * Checks {@link NetAddress}es and parses IP literals without touching DNS.
 */
final class Addresses {

    /**
     * The family of the {@link NetAddress} that stands for a local socket's path in monitoring (events, the
     * Actuator endpoint): {@code address} is the path, {@code port} 0.
     */
    static final int LOCAL_FAMILY = 0;

    private static final Pattern HOST_NAME = Pattern
        .compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private Addresses() {
    }

    /**
     * Checks a local address for bind, which never asks DNS: an IP literal of the stated family, {@code localhost}, or
     * a wildcard ({@code 0.0.0.0}, {@code ::}).
     * @param address the address
     * @return the socket address
     * @throws BusinessError 401 naming the bad value, also for any host name but {@code localhost}
     */
    static InetSocketAddress parseLocal(NetAddress address) {
        InetSocketAddress parsed = parse(address, false);
        if (parsed == null) {
            throw Errors.parameter("address '" + address.address() + "' is a host name: bind takes an IP literal, "
                    + "localhost or a wildcard (0.0.0.0, ::) and never resolves names");
        }
        return parsed;
    }

    /**
     * Checks an address and parses it when it is an IP literal or {@code localhost}.
     * @param address the address
     * @param destination {@code true} for a send or connect target (port 1..65535), {@code false} for a bind
     * @return the socket address, or {@code null} when {@code address} names a host that must be resolved
     * @throws BusinessError 401 naming the bad value
     */
    static InetSocketAddress parse(NetAddress address, boolean destination) {
        if (address == null) {
            throw Errors.parameter("address must not be null");
        }
        String text = address.address();
        int family = address.family();
        int port = address.port();
        if (family != NetAddress.IPV4 && family != NetAddress.IPV6) {
            throw Errors.parameter("family " + family + " is not 1 (IPv4) or 2 (IPv6)");
        }
        int minPort = destination ? 1 : 0;
        if (port < minPort || port > 65535) {
            throw Errors.parameter("port " + port + " is out of range " + minPort + ".." + 65535
                    + (destination ? " for a destination" : ""));
        }
        if (text == null) {
            throw Errors.parameter("address must not be null");
        }
        if ("localhost".equalsIgnoreCase(text)) {
            // Resolved here, not by the system resolver, so that family 2 always means ::1 even where the hosts file
            // maps localhost to IPv4 only.
            return new InetSocketAddress(loopback(family), port);
        }
        if (text.indexOf(':') >= 0) {
            return new InetSocketAddress(ipv6Literal(text, family), port);
        }
        if (digitsAndDots(text)) {
            return new InetSocketAddress(ipv4Literal(text, family), port);
        }
        if (!HOST_NAME.matcher(text).matches()) {
            throw Errors.parameter("address '" + text + "' is neither an IP literal nor a host name");
        }
        return null;
    }

    private static InetAddress ipv6Literal(String text, int family) {
        InetAddress parsed;
        try {
            // In brackets the JDK parses an IPv6 literal or fails; without them a malformed one ("g::1") would be
            // looked up as a host name, on the caller's thread.
            parsed = InetAddress.getByName(text.startsWith("[") ? text : "[" + text + "]");
        }
        catch (UnknownHostException | SecurityException ex) {
            throw Errors.parameter("address '" + text + "' is not a valid IPv6 literal");
        }
        if (family != NetAddress.IPV6) {
            throw Errors.parameter("address '" + text + "' is an IPv6 literal but family is " + family + " (IPv4)");
        }
        return parsed;
    }

    private static InetAddress ipv4Literal(String text, int family) {
        long value = ipv4Value(text);
        if (value < 0) {
            throw Errors.parameter("address '" + text + "' is not a valid IPv4 literal");
        }
        if (family != NetAddress.IPV4) {
            throw Errors.parameter("address '" + text + "' is an IPv4 literal but family is " + family + " (IPv6)");
        }
        byte[] bytes = { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
        try {
            return InetAddress.getByAddress(bytes);
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("four bytes are always an IPv4 address", ex);
        }
    }

    /**
     * Tells whether a text is made of digits and dots only, at least one: then it can only be meant as IPv4.
     */
    static boolean digitsAndDots(String text) {
        int length = text.length();
        if (length == 0) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a dotted quad without allocating: four decimal parts of 0..255 without leading zeros ("01" is refused,
     * as some parsers read it as octal), separated by single dots.
     * @param text digits and dots
     * @return the address as an unsigned 32-bit value, or -1 when the text is no valid dotted quad
     */
    static long ipv4Value(String text) {
        int length = text.length();
        long value = 0;
        int parts = 0;
        int i = 0;
        while (i < length && parts < 4) {
            int start = i;
            int part = 0;
            while (i < length && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start == 3) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || part > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (i < length) {
                // Skip the dot; a dot after the fourth part, or at the very end, leaves text unread or an empty part.
                i++;
                if (i == length) {
                    return -1;
                }
            }
        }
        return (parts == 4 && i == length) ? value : -1;
    }

    private static InetAddress loopback(int family) {
        try {
            return InetAddress.getByAddress(family == NetAddress.IPV4 ? new byte[] { 127, 0, 0, 1 }
                    : new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 });
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", ex);
        }
    }

    static String familyName(int family) {
        return (family == NetAddress.IPV4) ? "IPv4" : "IPv6";
    }

    /**
     * Describes a socket address as a {@link NetAddress}.
     * @param address the address
     * @return the literal, port and family
     */
    static NetAddress toNetAddress(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return new NetAddress(literal(ip), address.getPort(), (ip instanceof Inet6Address) ? NetAddress.IPV6 : NetAddress.IPV4);
    }

    /**
     * Describes the sender of a message.
     * @param address the sender
     * @param size the size of the message
     * @return the remote info
     */
    static SocketRemoteInfo remoteInfo(InetSocketAddress address, int size) {
        InetAddress ip = address.getAddress();
        return new SocketRemoteInfo(literal(ip), (ip instanceof Inet6Address) ? "IPv6" : "IPv4", address.getPort(), size);
    }

    /**
     * Formats an address as the short literal users expect ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}).
     * @param ip the address
     * @return the literal, with {@code %scope} for scoped IPv6 addresses
     */
    static String literal(InetAddress ip) {
        if (!(ip instanceof Inet6Address v6)) {
            return ip.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run of two or more zero groups, the first one on a tie, becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        String scope = v6.getScopeId() != 0 ? "%" + v6.getScopeId() : "";
        return text + scope;
    }

    /**
     * Describes an address for messages, as {@code 127.0.0.1:5000} or {@code [::1]:5000}.
     * @param address the address
     * @return the text
     */
    static String describe(InetSocketAddress address) {
        return describe(toNetAddress(address));
    }

    /**
     * Describes an address for messages, as {@code 127.0.0.1:5000}, {@code [::1]:5000} or a local socket's path.
     * @param address the address, may be {@code null}
     * @return the text
     */
    static String describe(NetAddress address) {
        if (address == null) {
            return "nothing";
        }
        if (address.family() == LOCAL_FAMILY) {
            return address.address();
        }
        String host = (address.family() == NetAddress.IPV6) ? "[" + address.address() + "]" : address.address();
        return host + ":" + address.port();
    }

}
