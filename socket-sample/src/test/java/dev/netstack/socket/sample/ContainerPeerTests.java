package dev.netstack.socket.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real-peer scenario with {@code socat} in containers ({@code alpine/socat}). Skipped where no Docker engine
 * runs; {@link ProcessPeerTests} covers the same scenario with local processes.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPeerTests extends RealPeerScenario {

    private static ContainerEchoPeer peer;

    @BeforeAll
    static void startPeer() {
        peer = ContainerEchoPeer.start();
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    @DynamicPropertySource
    static void peerPort(DynamicPropertyRegistry registry) {
        // Read when the context starts, after @BeforeAll has started the container.
        registry.add("sample.tcp.peer.port", () -> peer.tcpEchoPort());
    }

    @Override
    protected EchoPeer peer() {
        return peer;
    }

}
