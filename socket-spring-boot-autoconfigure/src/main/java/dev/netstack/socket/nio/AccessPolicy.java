package dev.netstack.socket.nio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.netstack.socket.BusinessError;

/**
 * Which remote addresses the sockets of a factory may talk to: the seed's {@code ohos.permission.INTERNET}, made
 * useful. Checked for UDP send destinations and TCP connect destinations (a denied one fails with
 * {@value BusinessError#PERMISSION_DENIED}, nothing is sent and no channel is opened) and for the sources of received
 * UDP datagrams (a denied one is dropped and counted in {@link ProtocolStats#droppedMessages()}, never delivered).
 *
 * <p>An address is <b>denied</b> when it matches any deny entry; otherwise it is <b>allowed</b> when the allow list is
 * empty or it matches any allow entry. So the default, two empty lists, allows everything, and a deny entry always
 * wins over an allow entry.
 *
 * <p>Entries are CIDR blocks, each optionally limited to one port:
 * <pre>
 * 127.0.0.1            one IPv4 address (a /32), every port
 * 127.0.0.0/8          an IPv4 block
 * 10.0.0.0/8:53        an IPv4 block, port 53 only
 * ::1  or  ::1/128     one IPv6 address, every port (without brackets every colon belongs to the address)
 * fd00::/8             an IPv6 block
 * [::1]:8080           an IPv6 address, port 8080 only (brackets are needed for a port)
 * [::1]/128:8080       an IPv6 block, port 8080 only
 * 0.0.0.0/0  and  ::/0 every IPv4, every IPv6 address
 * </pre>
 * Addresses are literals, never host names (no DNS is consulted). A block must have no bits set after its prefix
 * ({@code 10.0.0.1/8} is refused, naming {@code 10.0.0.0/8}), so that a mistyped block is caught rather than
 * silently widened. IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are matched as the IPv4 address they carry,
 * in entries and in the addresses checked, so a datagram from an IPv4 peer to a dual-stack socket meets the IPv4
 * entries; {@code ::/0} matches IPv6 addresses only.
 */
public final class AccessPolicy {

    private static final AccessPolicy ALLOW_ALL = new AccessPolicy(List.of(), List.of());

    private final List<AccessRule> allow;

    private final List<AccessRule> deny;

    private AccessPolicy(List<AccessRule> allow, List<AccessRule> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /**
     * Returns the policy that allows every address: the default.
     * @return the policy
     */
    public static AccessPolicy allowAll() {
        return ALLOW_ALL;
    }

    /**
     * Builds a policy from allow and deny entries.
     * @param allow the allowed blocks; empty allows every address that no deny entry matches
     * @param deny the denied blocks
     * @return the policy
     * @throws IllegalArgumentException naming the first bad entry and what is wrong with it
     */
    public static AccessPolicy of(Collection<String> allow, Collection<String> deny) {
        List<AccessRule> allowed = parse(allow);
        List<AccessRule> denied = parse(deny);
        return (allowed.isEmpty() && denied.isEmpty()) ? ALLOW_ALL : new AccessPolicy(allowed, denied);
    }

    /**
     * Checks one entry, for callers that report bad entries one by one (e.g. with the configuration key).
     * @param entry the entry
     * @return the entry in its canonical form, e.g. {@code 127.0.0.1/32}
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static String validate(String entry) {
        return AccessRule.parse(entry).toString();
    }

    private static List<AccessRule> parse(Collection<String> entries) {
        if (entries == null) {
            return List.of();
        }
        List<AccessRule> rules = new ArrayList<>(entries.size());
        for (String entry : entries) {
            rules.add(AccessRule.parse(entry));
        }
        return List.copyOf(rules);
    }

    /**
     * Tells whether this policy allows every address, so that callers can skip the check.
     * @return {@code true} when both lists are empty
     */
    public boolean allowsAll() {
        return this.allow.isEmpty() && this.deny.isEmpty();
    }

    /**
     * Tells whether an address and port may be talked to.
     * @param address the address
     * @param port the port
     * @return whether the policy allows them
     */
    public boolean permits(InetAddress address, int port) {
        return refusal(address, port) == null;
    }

    /**
     * Tells whether a socket address may be talked to.
     * @param address the address
     * @return whether the policy allows it
     */
    public boolean permits(InetSocketAddress address) {
        return permits(address.getAddress(), address.getPort());
    }

    /**
     * Says why an address is denied.
     * @param address the address
     * @param port the port
     * @return the reason, naming the entry that denies it, or {@code null} when it is allowed
     */
    String refusal(InetAddress address, int port) {
        if (allowsAll()) {
            return null;
        }
        byte[] bytes = AccessRule.normalize(address);
        for (AccessRule rule : this.deny) {
            if (rule.matches(bytes, port)) {
                return "it matches deny entry " + rule;
            }
        }
        if (this.allow.isEmpty()) {
            return null;
        }
        for (AccessRule rule : this.allow) {
            if (rule.matches(bytes, port)) {
                return null;
            }
        }
        return "it matches no allow entry of " + this.allow;
    }

    /**
     * Checks a destination.
     * @param destination where a send or connect goes
     * @return {@code null} when allowed, else the 201 error that names the destination and the reason
     */
    BusinessError checkDestination(InetSocketAddress destination) {
        String refusal = refusal(destination.getAddress(), destination.getPort());
        if (refusal == null) {
            return null;
        }
        return new BusinessError(BusinessError.PERMISSION_DENIED, "destination " + Addresses.describe(destination)
                + " is not permitted by the access policy: " + refusal);
    }

    /**
     * Returns the allow entries in canonical form.
     * @return the entries
     */
    public List<String> allowed() {
        return this.allow.stream().map(AccessRule::toString).toList();
    }

    /**
     * Returns the deny entries in canonical form.
     * @return the entries
     */
    public List<String> denied() {
        return this.deny.stream().map(AccessRule::toString).toList();
    }

    @Override
    public String toString() {
        return allowsAll() ? "AccessPolicy[allow all]" : "AccessPolicy[allow=" + allowed() + ", deny=" + denied() + "]";
    }

}
