package dev.netstack.socket.nio;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A selector that fails: the loop logs it, rebuilds the selector with every channel and its interest set, and the
 * sockets on that loop go on exchanging data as if nothing happened. The failure is made by the loop's test seam
 * ({@link EventLoop#failNextSelect()}), since a real epoll failure cannot be caused from user space on demand.
 */
@Timeout(30)
class SelectorFailureTests {

    private static final long WAIT_SECONDS = 10;

    private final NioSocketFactory factory = NioSocketFactory.create(
            SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-SelectorFailureTests-").build());

    private final EventLoop loop = this.factory.eventLoops().loops().get(0);

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void udpAndTcpSocketsKeepExchangingDataAfterTheSelectorIsRebuilt() throws Exception {
        // Two UDP sockets that talk to each other.
        UDPSocket a = this.factory.constructUDPSocketInstance();
        UDPSocket b = this.factory.constructUDPSocketInstance();
        LinkedBlockingQueue<String> atA = inbox(a);
        LinkedBlockingQueue<String> atB = inbox(b);
        a.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        b.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        NetAddress addressOfA = a.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS);
        NetAddress addressOfB = b.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS);

        try (ServerSocket server = new ServerSocket()) {
            // Small buffers on both sides, so that the TCP socket has bytes queued (and OP_WRITE set) during the
            // rebuild: the new selector must carry that interest over, or the queue would never drain.
            server.setReceiveBufferSize(4 * 1024);
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            TCPSocket tcp = this.factory.constructTCPSocketInstance();
            LinkedBlockingQueue<String> atTcp = new LinkedBlockingQueue<>();
            tcp.on(SocketEventType.MESSAGE, message -> atTcp.add(message.text()));
            tcp.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.getLocalPort())))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            TCPExtraOptions small = new TCPExtraOptions();
            small.setSendBufferSize(8 * 1024);
            tcp.setExtraOptions(small).get(WAIT_SECONDS, TimeUnit.SECONDS);
            Socket peer = server.accept();
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

            exchange(a, b, addressOfA, addressOfB, atA, atB, "before");

            // Fill the TCP queue until bytes wait in it.
            NioSocket nio = (NioSocket) tcp;
            byte[] expected = new byte[0];
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(11);
            while (nio.pendingBytes() == 0) {
                assertThat(expected.length).as("the kernel's buffers filled within 64 MiB").isLessThan(64 << 20);
                byte[] chunk = new byte[64 * 1024];
                random.nextBytes(chunk);
                int from = expected.length;
                expected = Arrays.copyOf(expected, from + chunk.length);
                System.arraycopy(chunk, 0, expected, from, chunk.length);
                sends.add(tcp.send(new TCPSendOptions(chunk)));
                // A round trip through the loop: by then the send was written or queued.
                nio.effectiveOptions().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }

            this.loop.failNextSelect();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> this.loop.selectorRebuilds() == 1);
            assertThat(this.loop.isAlive()).isTrue();

            // The queued bytes drain through the new selector once the peer reads, all of them, in order.
            InputStream in = peer.getInputStream();
            assertThat(in.readNBytes(expected.length)).isEqualTo(expected);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(nio.pendingBytes()).isZero();

            // Reads on the new selector, both protocols.
            OutputStream out = peer.getOutputStream();
            out.write("echo after rebuild".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(atTcp.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("echo after rebuild");
            exchange(a, b, addressOfA, addressOfB, atA, atB, "after");
            tcp.send(new TCPSendOptions("still sending")).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(new String(in.readNBytes(13), StandardCharsets.UTF_8)).isEqualTo("still sending");

            // New channels register with the new selector too.
            UDPSocket c = this.factory.constructUDPSocketInstance();
            LinkedBlockingQueue<String> atC = inbox(c);
            c.bind(new NetAddress("127.0.0.1", 0)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            a.send(new UDPSendOptions("to a new socket", c.getLocalAddress().get(WAIT_SECONDS, TimeUnit.SECONDS)))
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(atC.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("to a new socket");
            assertThat(this.loop.selectorRebuilds()).isEqualTo(1);
            tcp.close().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailureDuringAConnectStillCompletesTheConnect() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            TCPSocket tcp = this.factory.constructTCPSocketInstance();
            // Queued behind the connect: the select that follows it fails, with OP_CONNECT in the interest set.
            CompletableFuture<Void> connected = tcp
                .connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.getLocalPort())));
            this.loop.failNextSelect();
            connected.get(WAIT_SECONDS, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> this.loop.selectorRebuilds() == 1);
            try (Socket peer = server.accept()) {
                peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                tcp.send(new TCPSendOptions("connected")).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(new String(peer.getInputStream().readNBytes(9), StandardCharsets.UTF_8))
                    .isEqualTo("connected");
            }
        }
    }

    private static LinkedBlockingQueue<String> inbox(UDPSocket socket) {
        LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        socket.on(SocketEventType.MESSAGE, (SocketMessageInfo message) -> inbox.add(message.text()));
        return inbox;
    }

    private static void exchange(UDPSocket a, UDPSocket b, NetAddress addressOfA, NetAddress addressOfB,
            LinkedBlockingQueue<String> atA, LinkedBlockingQueue<String> atB, String when) throws Exception {
        a.send(new UDPSendOptions("a to b " + when, addressOfB)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        b.send(new UDPSendOptions("b to a " + when, addressOfA)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(atB.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("a to b " + when);
        assertThat(atA.poll(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("b to a " + when);
    }

}
