package dev.netstack.socket.nio;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bind takes IP literals, {@code localhost} and wildcards only: any other name is a parameter error (401), and no
 * resolver is asked, as the reference's conformance suite expects. The factory's resolver is a stand-in that
 * counts look-ups and would answer every name with a loopback address.
 */
@Timeout(30)
class BindNeverResolvesTests extends FactoryTestSupport {

    @BeforeEach
    void startFactory() {
        standInFactory(1, 0);
    }

    /** A made-up name, and this machine's own, which the hosts file usually maps. */
    static List<String> names() throws Exception {
        return List.of(StandInLookup.NAME, InetAddress.getLocalHost().getHostName());
    }

    static List<Object[]> cases() throws Exception {
        List<Object[]> cases = new ArrayList<>();
        for (String protocol : List.of("udp", "tcp")) {
            for (String name : names()) {
                for (int family : List.of(NetAddress.IPV4, NetAddress.IPV6)) {
                    cases.add(new Object[] { protocol, name, family });
                }
            }
        }
        return cases;
    }

    private NioSocket newSocket(String protocol) {
        return (NioSocket) ("udp".equals(protocol) ? this.factory.constructUDPSocketInstance()
                : this.factory.constructTCPSocketInstance());
    }

    private static CompletableFuture<Void> bind(NioSocket socket, NetAddress address) {
        return (socket instanceof NioUDPSocket udp) ? udp.bind(address) : ((NioTCPSocket) socket).bind(address);
    }

    @ParameterizedTest(name = "{0} bind to {1}, family {2}")
    @MethodSource("cases")
    void aHostNameIsRefusedWith401AndNoResolverIsAsked(String protocol, String name, int family) throws Exception {
        BusinessError error = Await.failure(bind(newSocket(protocol), new NetAddress(name, 0, family)));

        assertThat(error.getCode()).isEqualTo(BusinessError.PARAMETER_ERROR);
        assertThat(error.getMessage()).contains("'" + name + "'").contains("localhost");
        assertThat(this.lookup.calls()).as("look-ups asked").isZero();
    }

    @Test
    void localhostBindsToTheLoopbackOfItsFamilyWithoutAResolver() throws Exception {
        for (String protocol : List.of("udp", "tcp")) {
            for (int family : List.of(NetAddress.IPV4, NetAddress.IPV6)) {
                NioSocket socket = newSocket(protocol);
                Await.result(bind(socket, new NetAddress("localhost", 0, family)));
                assertThat(socket.localAddress().address()).isEqualTo((family == NetAddress.IPV4) ? "127.0.0.1" : "::1");
            }
        }
        assertThat(this.lookup.calls()).as("look-ups asked").isZero();
    }

}
