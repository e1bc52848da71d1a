package dev.netstack.socket.server;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.SplittableRandom;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that sends and ends its output at once: the FIN can come in the same read batch as the last bytes, after
 * whose 'message' the echo was accepted but not yet queued on the loop. The echo still goes out whole before the
 * connection closes, as sends accepted before a {@code close()} do.
 */
@Timeout(30)
class TcpEchoAtPeerEndTests {

    @RegisterExtension
    final Factories factories = new Factories(TcpEchoAtPeerEndTests.class);

    @RepeatedTest(10)
    void theEchoOfBytesThatCameWithTheFinGoesOutWhole() throws Exception {
        NioSocketFactory factory = this.factories.make(settings -> settings.ioThreads(1));
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        // Whole read buffers (64 KiB each): the read after the last one finds the FIN in the same batch.
        byte[] payload = new byte[4 * 65536];
        new SplittableRandom(11).nextBytes(payload);

        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(payload.length);
            peer.connect(new InetSocketAddress("127.0.0.1", address.port()));
            peer.getOutputStream().write(payload);
            peer.shutdownOutput();
            InputStream in = peer.getInputStream();

            assertThat(in.readAllBytes()).isEqualTo(payload);
        }
    }

}
