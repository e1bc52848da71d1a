package dev.netstack.socket.nio;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;

import dev.netstack.socket.BusinessError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The access policy's syntax and its evaluation: deny wins, an empty allow list allows, ports narrow an entry,
 * IPv4-mapped addresses count as IPv4. No sockets: {@code AccessPolicySocketTests} applies it to real ones.
 */
class AccessPolicyTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = { "127.0.0.1|127.0.0.1/32", "127.0.0.0/8|127.0.0.0/8",
            " 198.0.0.0/8:53 |198.0.0.0/8:53", "198.1.2.3:53|198.1.2.3/32:53", "0.0.0.0/0|0.0.0.0/0", "::1|::1/128",
            "::1/128|::1/128", "[::1]|::1/128", "[::1]:8080|[::1]/128:8080", "[::1]/128:8080|[::1]/128:8080",
            "fd00::/8|fd00::/8", "[FD00:0:0:0::]/8|fd00::/8", "::/0|::/0", "::ffff:198.0.0.0/104|198.0.0.0/8",
            "[::ffff:127.0.0.1]:9|127.0.0.1/32:9", "100.64.0.0/10|100.64.0.0/10" })
    void validEntriesHaveOneCanonicalForm(String entry, String canonical) {
        assertThat(AccessPolicy.validate(entry)).isEqualTo(canonical);
    }

    static Stream<Arguments> badEntries() {
        return Stream.of(bad("", "is empty"), bad("   ", "is empty"),
                bad("localhost", "'localhost', which is not an IPv4"),
                bad("example.com/8", "'example.com', which is not an IPv4"), bad("256.0.0.0/8", "'256.0.0.0'"),
                bad("198.0.0/8", "'198.0.0'"), bad("198.0.0.0/33", "prefix length 33, out of range 0..32"),
                bad("198.0.0.0/-1", "prefix length '-1'"), bad("198.0.0.0/", "prefix length ''"),
                bad("::1/129", "prefix length 129, out of range 0..128"),
                bad("198.0.0.0/8:0", "port 0, out of range 1..65535"), bad("198.0.0.0/8:65536", "port 65536"),
                bad("198.0.0.0/8:http", "port 'http'"), bad("198.0.0.1/8", "did you mean 198.0.0.0/8?"),
                bad("fd00::1/8", "did you mean fd00::/8?"), bad("::g", "'::g', which is not an IPv6"),
                bad("g::1", "'g::1', which is not an IPv6"), bad("[127.0.0.1]:80", "brackets"),
                bad("[::1", "[IPv6]/bits:port"), bad("[::1]x", "[IPv6]/bits:port"), bad("::1%lo", "scope"),
                bad("[::1]:", "port ''"));
    }

    private static Arguments bad(String entry, String message) {
        return Arguments.of(entry, message);
    }

    @ParameterizedTest(name = "''{0}''")
    @MethodSource("badEntries")
    void badEntriesAreRefusedNamingTheEntryAndTheFault(String entry, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> AccessPolicy.validate(entry))
            .withMessageContaining("access entry '" + entry + "'")
            .withMessageContaining(message);
        assertThatIllegalArgumentException().isThrownBy(() -> AccessPolicy.of(List.of("127.0.0.1"), List.of(entry)))
            .withMessageContaining(message);
    }

    @Test
    void aNullEntryIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> AccessPolicy.validate(null))
            .withMessageContaining("must not be null");
    }

    @Test
    void theDefaultAllowsEverything() throws Exception {
        AccessPolicy policy = AccessPolicy.allowAll();
        assertThat(policy.allowsAll()).isTrue();
        assertThat(policy.permits(ip("127.0.0.1"), 1)).isTrue();
        assertThat(policy.permits(ip("::1"), 65535)).isTrue();
        assertThat(AccessPolicy.of(List.of(), List.of())).isSameAs(policy);
        assertThat(AccessPolicy.of(null, null).allowsAll()).isTrue();
        assertThat(SocketSettings.defaults().accessPolicy().allowsAll()).isTrue();
    }

    @Test
    void anyDenyEntryWinsOverEveryAllowEntry() throws Exception {
        AccessPolicy policy = AccessPolicy.of(List.of("127.0.0.0/8"), List.of("127.0.0.1:5000"));
        assertThat(policy.permits(ip("127.0.0.1"), 5000)).isFalse();
        assertThat(policy.permits(ip("127.0.0.1"), 5001)).isTrue();
        assertThat(policy.permits(ip("127.0.0.2"), 5000)).isTrue();
        assertThat(policy.permits(ip("198.0.0.1"), 5001)).as("not in the allow list").isFalse();
        assertThat(policy.permits(ip("::1"), 5001)).as("an IPv4 list says nothing for IPv6").isFalse();
    }

    @Test
    void anEmptyAllowListAllowsWhatNoDenyEntryMatches() throws Exception {
        AccessPolicy policy = AccessPolicy.of(List.of(), List.of("198.0.0.0/8", "[::1]:53"));
        assertThat(policy.allowsAll()).isFalse();
        assertThat(policy.permits(ip("198.200.0.1"), 80)).isFalse();
        assertThat(policy.permits(ip("11.0.0.1"), 80)).isTrue();
        assertThat(policy.permits(ip("::1"), 53)).isFalse();
        assertThat(policy.permits(ip("::1"), 54)).isTrue();
    }

    @Test
    void prefixesThatDoNotEndOnAByteBoundaryMatchBitByBit() throws Exception {
        AccessPolicy policy = AccessPolicy.of(List.of("100.64.0.0/10", "fe80::/10"), List.of());
        assertThat(policy.permits(ip("100.64.0.0"), 1)).isTrue();
        assertThat(policy.permits(ip("100.127.255.255"), 1)).isTrue();
        assertThat(policy.permits(ip("100.128.0.0"), 1)).isFalse();
        assertThat(policy.permits(ip("100.63.255.255"), 1)).isFalse();
        assertThat(policy.permits(ip("febf::1"), 1)).isTrue();
        assertThat(policy.permits(ip("fec0::1"), 1)).isFalse();
    }

    @Test
    void ipv4MappedAddressesAreMatchedAsIpv4() throws Exception {
        byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1 };
        // Inet6Address.getByAddress keeps the 16 bytes, as an address read from a dual-stack socket may be.
        InetAddress mappedLoopback = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(mappedLoopback).isInstanceOf(Inet6Address.class);

        AccessPolicy denyV4 = AccessPolicy.of(List.of(), List.of("127.0.0.1"));
        assertThat(denyV4.permits(mappedLoopback, 9)).isFalse();
        AccessPolicy denyMapped = AccessPolicy.of(List.of(), List.of("::ffff:127.0.0.0/104"));
        assertThat(denyMapped.permits(ip("127.0.0.1"), 9)).isFalse();
        assertThat(denyMapped.permits(mappedLoopback, 9)).isFalse();
        assertThat(denyMapped.permits(ip("128.0.0.1"), 9)).isTrue();
        AccessPolicy allowV6Only = AccessPolicy.of(List.of("::/0"), List.of());
        assertThat(allowV6Only.permits(mappedLoopback, 9)).as("::/0 is IPv6 only").isFalse();
        assertThat(allowV6Only.permits(ip("::1"), 9)).isTrue();
    }

    @Test
    void aRefusedDestinationIsPermissionDeniedNamingTheAddressAndTheEntry() {
        AccessPolicy policy = AccessPolicy.of(List.of("::1/128"), List.of("198.0.0.0/8:53"));
        BusinessError denied = policy.checkDestination(new InetSocketAddress(ip("198.1.1.1"), 53));
        assertThat(denied.getCode()).isEqualTo(BusinessError.PERMISSION_DENIED);
        assertThat(denied.getMessage()).contains("198.1.1.1:53").contains("deny entry 198.0.0.0/8:53");
        BusinessError notAllowed = policy.checkDestination(new InetSocketAddress(ip("127.0.0.1"), 9));
        assertThat(notAllowed.getMessage()).contains("127.0.0.1:9").contains("no allow entry of [::1/128]");
        assertThat(policy.checkDestination(new InetSocketAddress(ip("::1"), 9))).isNull();
        assertThat(policy.toString()).isEqualTo("AccessPolicy[allow=[::1/128], deny=[198.0.0.0/8:53]]");
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        }
        catch (Exception ex) {
            throw new IllegalArgumentException(literal, ex);
        }
    }

}
