package dev.netstack.socket.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ProtocolStats;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two thousand TCP connections open at once on loopback, against a plain NIO echo server: every connection sends
 * its own message and gets exactly those bytes back, and closing them all leaves nothing open.
 */
@Timeout(60)
class TcpConnectionLoadTests {

    private static final int CONNECTIONS = 2000;

    private static final int MESSAGE_SIZE = 256;

    /** Connects in flight at once: well inside the listener's backlog, so that no SYN is dropped and retried. */
    private static final int CONNECTS_IN_FLIGHT = 200;

    /** Descriptors per connection (ours and the server's) plus room for the JVM, the build and the selectors. */
    private static final long DESCRIPTORS_NEEDED = 2L * CONNECTIONS + 512;

    private static final long WAIT_SECONDS = 30;

    private final NioSocketFactory factory = NioSocketFactory.create(
            SocketSettings.builder().ioThreads(2).threadNamePrefix("socket-io-TcpConnectionLoadTests-").build());

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void twoThousandConcurrentConnectionsEachEchoTheirOwnBytes() throws Exception {
        Descriptors.assumeFree(DESCRIPTORS_NEEDED, CONNECTIONS + " connections");
        try (NioEchoServer server = new NioEchoServer(4096)) {
            NetAddress address = new NetAddress("127.0.0.1", server.port());
            List<TCPSocket> sockets = new ArrayList<>(CONNECTIONS);
            List<byte[]> messages = new ArrayList<>(CONNECTIONS);
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>(CONNECTIONS);
            List<CompletableFuture<Void>> connects = new ArrayList<>(CONNECTIONS);
            Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
            SplittableRandom random = new SplittableRandom(2000);
            for (int i = 0; i < CONNECTIONS; i++) {
                byte[] message = new byte[MESSAGE_SIZE];
                random.nextBytes(message);
                byte[] label = ("connection " + i + " ").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(label, 0, message, 0, label.length);
                messages.add(message);
                TCPSocket socket = this.factory.constructTCPSocketInstance();
                sockets.add(socket);
                echoes.add(collect(socket, MESSAGE_SIZE));
                assertThat(inFlight.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("connect %d started", i).isTrue();
                connects.add(socket.connect(new TCPConnectOptions(address)).whenComplete((ok, error) -> inFlight.release()));
            }
            CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

            // All of them open at the same time, on both ends.
            ProtocolStats stats = this.factory.stats().of(Protocol.TCP);
            assertThat(stats.active()).isEqualTo(CONNECTIONS);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> server.open() == CONNECTIONS);

            List<CompletableFuture<Void>> sends = new ArrayList<>(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                sends.add(sockets.get(i).send(new TCPSendOptions(messages.get(i))));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            CompletableFuture.allOf(echoes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(echoes.get(i).join()).as("echo of connection %d", i).isEqualTo(messages.get(i));
            }
            assertThat(stats.bytesSent()).isEqualTo((long) CONNECTIONS * MESSAGE_SIZE);
            assertThat(stats.bytesReceived()).isEqualTo((long) CONNECTIONS * MESSAGE_SIZE);
            assertThat(server.accepted()).isEqualTo(CONNECTIONS);

            List<CompletableFuture<Void>> closes = sockets.stream().map(TCPSocket::close).toList();
            CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(stats.active()).isZero();
            assertThat(this.factory.sockets()).isEmpty();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> server.open() == 0);
        }
    }

    /** Completes with the first {@code size} bytes the socket receives, in order. */
    private static CompletableFuture<byte[]> collect(TCPSocket socket, int size) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        // Touched on the socket's loop only: its messages arrive one at a time, in order.
        ByteArrayOutputStream received = new ByteArrayOutputStream(size);
        socket.on(SocketEventType.MESSAGE, message -> {
            received.writeBytes(message.bytes());
            if (received.size() >= size) {
                result.complete(received.toByteArray());
            }
        });
        return result;
    }

}
