package dev.netstack.socket.sample;

import dev.netstack.socket.event.SocketConnectEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample against a real peer that this project did not write: its TCP client talks to the peer's echo server
 * instead of the sample's own line server, and the peer's UDP client gets an answer from the sample's echo socket.
 * Subclasses run the peer as local processes or in a container; the scenario is the same.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
        properties = { "sample.udp.port=0", SocketSampleApplicationTests.OWN_LOCAL_PATH, "socket.servers.lines.port=0",
                "socket.servers.secure-lines.port=0", "sample.tcp.interval=1h" })
@Import(RecordedEvents.class)
@DirtiesContext
@Timeout(120)
abstract class RealPeerScenario {

    @Autowired
    private UdpEchoService udpEcho;

    @Autowired
    private RecordedEvents events;

    /**
     * Returns the running peer; its TCP echo port is the sample's {@code sample.tcp.peer.port}.
     * @return the peer
     */
    protected abstract EchoPeer peer();

    @Test
    void tcpClientConnectsToThePeerAndGetsItsLineEchoed() {
        SocketConnectEvent connect = this.events.awaitEvent(SocketConnectEvent.class,
                (event) -> event.getRemoteAddress().port() == peer().tcpEchoPort());
        assertThat(connect.getRemoteAddress().address()).isEqualTo("127.0.0.1");
        this.events.awaitReceivedText(connect.getSocketId(), "ping 1");
    }

    @Test
    void peerDatagramGetsAnAcknowledgement() throws Exception {
        int port = this.udpEcho.localAddress().port();
        assertThat(peer().udpExchange(port, "hello from a real peer")).isEqualTo("ack: hello from a real peer");
        SocketMessageEvent message = this.events.awaitEvent(SocketMessageEvent.class,
                (event) -> event.getProtocol().equals("udp"));
        assertThat(message.getMessage().text()).isEqualTo("hello from a real peer\n");
        assertThat(message.getRemoteAddress().address()).isEqualTo("127.0.0.1");
    }

}
