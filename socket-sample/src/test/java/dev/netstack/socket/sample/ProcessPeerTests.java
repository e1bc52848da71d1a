package dev.netstack.socket.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real-peer scenario with {@code socat} (or Node.js) as local processes: what {@link ContainerPeerTests} does
 * with a container, on machines without a Docker engine too.
 */
class ProcessPeerTests extends RealPeerScenario {

    private static ProcessEchoPeer peer;

    @BeforeAll
    static void startPeer() throws Exception {
        peer = ProcessEchoPeer.start();
        System.out.println("Real peer: " + peer.program() + ", TCP echo on 127.0.0.1:" + peer.tcpEchoPort());
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    @DynamicPropertySource
    static void peerPort(DynamicPropertyRegistry registry) {
        // Read when the context starts, after @BeforeAll has started the peer.
        registry.add("sample.tcp.peer.port", () -> peer.tcpEchoPort());
    }

    @Override
    protected EchoPeer peer() {
        return peer;
    }

}
