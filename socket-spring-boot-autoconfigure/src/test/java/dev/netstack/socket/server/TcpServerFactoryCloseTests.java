package dev.netstack.socket.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketObserver;
import dev.netstack.socket.nio.SocketSettings;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code close()} of the factory with servers: the servers first (no connection is accepted any more), then the
 * connections, each flushing its accepted sends, then the loops; and afterwards no descriptor and no thread is left.
 */
@Timeout(60)
@ExtendWith(QuietCloseLog.class)
class TcpServerFactoryCloseTests {

    @RegisterExtension
    final Factories factories = new Factories(TcpServerFactoryCloseTests.class);

    /** A send of 4 MiB accepted just before the factory closes reaches a reading peer whole, then the FIN. */
    @Test
    void connectionsFlushTheirAcceptedSendsBeforeTheFactoryStops() throws Exception {
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        byte[] payload = new byte[4 * 1024 * 1024];
        new SplittableRandom(4).nextBytes(payload);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (Socket peer = new Socket("127.0.0.1", address.port())) {
            Future<byte[]> received = reader.submit(() -> peer.getInputStream().readAllBytes());
            TCPSocketConnection connection = ServerPeers.next(accepted);
            CompletableFuture<Void> sent = connection.send(new TCPSendOptions(payload));
            assertThat(factory.close(Duration.ofSeconds(Await.SECONDS))).as("closed within the timeout").isTrue();
            assertThat(received.get(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo(payload);
            assertThat(sent).isCompleted().isNotCompletedExceptionally();
        }
        finally {
            reader.shutdownNow();
        }
    }

    /**
     * Observers see every 'close': the server's comes before any of its connections', so that no connection is
     * accepted while they close. The server's loop is held up by a callback meanwhile, so that connections on the
     * other loop would close first if nothing ordered them. Each connection's 'close' fires once, the peers read the
     * end of the stream, and the port is free.
     */
    @Test
    void theServerClosesBeforeItsConnections() throws Exception {
        ConcurrentLinkedQueue<String> closes = new ConcurrentLinkedQueue<>();
        NioSocketFactory factory = this.factories.make(settings -> settings.observer(new SocketObserver() {

            @Override
            public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
                if (type == SocketEventType.CLOSE) {
                    closes.add((socket instanceof TCPSocketServer) ? "server" : "connection");
                }
            }

        }));
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        CompletableFuture<String> serverLoop = new CompletableFuture<>();
        server.listen(new NetAddress("127.0.0.1", 0), (error, nothing) -> serverLoop.complete(threadName()));
        serverLoop.get(Await.SECONDS, TimeUnit.SECONDS);
        NetAddress address = Await.result(server.getLocalAddress());
        // A connection on the server's loop, whose callback will hold that loop up.
        CompletableFuture<TCPSocketConnection> onServerLoop = new CompletableFuture<>();
        AtomicInteger closeEvents = new AtomicInteger();
        server.on(TCPSocketServer.CONNECT, connection -> {
            connection.on(SocketEventType.CLOSE, nothing -> closeEvents.incrementAndGet());
            if (threadName().equals(serverLoop.join())) {
                onServerLoop.complete(connection);
            }
        });
        int count = 40;
        List<Socket> peers = new ArrayList<>();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < count; i++) {
                peers.add(new Socket("127.0.0.1", address.port()));
            }
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> factory.sockets().size() == count + 1);
            TCPSocketConnection holder = onServerLoop.get(Await.SECONDS, TimeUnit.SECONDS);
            holder.on(SocketEventType.MESSAGE, message -> {
                holding.countDown();
                awaitQuietly(release);
            });
            int holderPort = Await.result(holder.getRemoteAddress()).port();
            peers.stream().filter(peer -> peer.getLocalPort() == holderPort).findFirst().orElseThrow()
                .getOutputStream().write(1);
            assertThat(holding.await(Await.SECONDS, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> factory.close(Duration.ofSeconds(Await.SECONDS)));
            await("nothing closes before the server, whose loop is held").during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(closes::isEmpty);
            release.countDown();
            assertThat(closing.get(Await.SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(closes).hasSize(count + 1);
            assertThat(closes.peek()).as("the first socket to close").isEqualTo("server");
            assertThat(closeEvents).hasValue(count);
            for (Socket peer : peers) {
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
            }
            assertThatThrownBy(() -> new Socket("127.0.0.1", address.port()).close())
                .isInstanceOf(ConnectException.class);
        }
        finally {
            release.countDown();
            for (Socket peer : peers) {
                peer.close();
            }
        }
    }

    private static String threadName() {
        return Thread.currentThread().getName();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(Await.SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Peers keep connecting while the factory closes: a connection accepted in that moment is closed too, never left
     * with an open channel, so the process holds no more descriptors afterwards than before.
     */
    @Test
    void aFactoryClosedDuringAConnectStormLeavesNoDescriptorOpen() throws Exception {
        Assumptions.assumeTrue(ServerPeers.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        // Warm-up: what the JDK opens once (selector providers, the first sockets) is not a leak.
        stormThenClose();
        long before = ServerPeers.descriptors();
        for (int round = 0; round < 3; round++) {
            stormThenClose();
        }
        await().atMost(Duration.ofSeconds(Await.SECONDS)).untilAsserted(
                () -> assertThat(ServerPeers.descriptors()).as("open descriptors").isLessThanOrEqualTo(before));
    }

    private void stormThenClose() throws Exception {
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicInteger connected = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> storm = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                storm.add(threads.submit(() -> {
                    while (storming.get()) {
                        try (Socket peer = new Socket("127.0.0.1", address.port())) {
                            connected.incrementAndGet();
                        }
                        catch (IOException ex) {
                            // Refused once the server has closed: the storm goes on until told to stop.
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(Await.SECONDS)).until(() -> connected.get() >= 200);
            factory.close();
            storming.set(false);
            for (Future<?> done : storm) {
                done.get(Await.SECONDS, TimeUnit.SECONDS);
            }
        }
        finally {
            storming.set(false);
            threads.shutdownNow();
        }
        assertThat(factory.sockets()).isEmpty();
    }

    /**
     * A server with 500 echoing connections, then the factory's close: the descriptors and threads of the process
     * are back where they were before the factory existed.
     */
    @Test
    void descriptorsAndThreadsReturnToTheirBaselineAfterTheFactoryCloses() throws Exception {
        Assumptions.assumeTrue(ServerPeers.descriptorsCountable(), "skipped: no /proc/self/fd to count descriptors");
        // Warm-up: what the JDK opens once (selector providers, the first sockets) is not a leak.
        try (NioSocketFactory warmUp = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build())) {
            TCPSocketServer server = warmUp.constructTCPSocketServerInstance();
            new Socket("127.0.0.1", ServerPeers.listen(server).port()).close();
        }
        assertThat(ServerPeers.threads(this.factories.threadNamePrefix())).isEmpty();
        long before = ServerPeers.descriptors();
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        List<Socket> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket peer = new Socket("127.0.0.1", address.port());
                peers.add(peer);
                peer.getOutputStream().write(i);
            }
            for (int i = 0; i < peers.size(); i++) {
                assertThat(peers.get(i).getInputStream().read()).isEqualTo(i & 0xff);
            }
            assertThat(ServerPeers.descriptors()).isGreaterThan(before + 1000);
            factory.close();
        }
        finally {
            for (Socket peer : peers) {
                peer.close();
            }
        }
        assertThat(ServerPeers.threads(this.factories.threadNamePrefix())).as("threads of the factory").isEmpty();
        await().atMost(Duration.ofSeconds(Await.SECONDS)).untilAsserted(
                () -> assertThat(ServerPeers.descriptors()).as("open descriptors").isLessThanOrEqualTo(before));
    }

}
