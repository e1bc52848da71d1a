package dev.netstack.socket.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.TCPSocketServer;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.Protocol;
import dev.netstack.socket.nio.ServerStats;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One server under load, each case sized to prove its point once: 10,000 connections open at the same time, each
 * echoing its own bytes; a storm of new connections that established ones do not feel; and a peer that never reads,
 * which fills its own send queue and nobody else's.
 */
@Timeout(120)
@ExtendWith(QuietCloseLog.class)
class TcpServerLoadTests {

    private static final long WAIT_SECONDS = 60;

    @RegisterExtension
    final Factories factories = new Factories(TcpServerLoadTests.class);

    /**
     * 10,000 connections open at once, as many as {@code socket.server.max-connections} allows by default. The
     * clients run in a process of their own ({@link EchoClients}), so that each side needs 10,000 descriptors of its
     * own limit rather than 20,000 of one.
     */
    @Test
    void tenThousandConcurrentConnectionsEachGetTheirOwnBytesBack() throws Exception {
        int connections = 10_000;
        int size = 256;
        assumeDescriptors(connections + 512);
        NioSocketFactory factory = this.factories.make();
        assertThat(factory.settings().maxConnections()).isEqualTo(connections);
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        ServerStats stats = factory.stats().server(Protocol.TCP);
        try (ChildProcess clients = ChildProcess.start(EchoClients.class, Integer.toString(address.port()),
                Integer.toString(connections), Integer.toString(size), "500")) {
            assertThat(clients.nextLine()).isEqualTo("connected " + connections);
            // All of them open on the server's side at the same time.
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> stats.open() == connections);
            assertThat(Await.result(server.getState()).isConnected()).isTrue();

            clients.command("echo");
            long total = (long) connections * size;
            assertThat(clients.nextLine()).isEqualTo("verified " + connections + " bytes " + total);
            assertThat(factory.stats().of(Protocol.TCP).bytesReceived()).isEqualTo(total);
            assertThat(factory.stats().of(Protocol.TCP).bytesSent()).isEqualTo(total);
            assertThat(stats.accepted()).isEqualTo(connections);
            assertThat(stats.rejected(ServerStats.Reason.LIMIT)).isZero();

            clients.command("close");
            assertThat(clients.nextLine()).isEqualTo("closed");
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> stats.open() == 0);
        }
    }

    /**
     * Ten established connections keep ping-ponging while 2,000 new peers connect as fast as eight threads can: the
     * accept path takes a bounded number per wake-up, so their round trips stay short. The bound (p99 under 200 ms)
     * is generous, so that a slow machine passes and a loop starved by accepting does not.
     */
    @Test
    void establishedConnectionsKeepTheirLatencyDuringAConnectionStorm() throws Exception {
        int stormSize = 2000;
        int pingers = 10;
        assumeDescriptors(2 * (stormSize + pingers) + 512);
        NioSocketFactory factory = this.factories.make();
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
        NetAddress address = ServerPeers.listen(server);
        ServerStats stats = factory.stats().server(Protocol.TCP);

        AtomicBoolean storming = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> stormLatencies = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(pingers + 8);
        List<Socket> stormSockets = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<Integer>> pings = new ArrayList<>();
            for (int i = 0; i < pingers; i++) {
                Socket socket = new Socket("127.0.0.1", address.port());
                socket.setTcpNoDelay(true);
                pings.add(threads.submit(() -> pingPong(socket, stop, storming, stormLatencies)));
            }
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> stats.open() == pingers);

            storming.set(true);
            List<Future<?>> storm = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                storm.add(threads.submit(() -> {
                    for (int i = 0; i < stormSize / 8; i++) {
                        stormSockets.add(new Socket("127.0.0.1", address.port()));
                    }
                    return null;
                }));
            }
            for (Future<?> done : storm) {
                done.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> stats.accepted() == stormSize + pingers);
            storming.set(false);
            stop.set(true);
            for (Future<Integer> ping : pings) {
                assertThat(ping.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("round trips of a pinger").isPositive();
            }
        }
        finally {
            stop.set(true);
            threads.shutdownNow();
            // The server's side first, the quicker clean-up: peers that close all at once are the 10,000 test's case.
            factory.close();
            for (Socket socket : stormSockets) {
                socket.close();
            }
        }
        long[] sorted = stormLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(sorted.length).as("round trips during the storm").isGreaterThanOrEqualTo(100);
        long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
        assertThat(TimeUnit.NANOSECONDS.toMillis(p99)).as("p99 of %d round trips during the storm, in ms", sorted.length)
            .isLessThan(200);
    }

    /** Round trips of 32 bytes until told to stop; those made during the storm are recorded. */
    private static int pingPong(Socket socket, AtomicBoolean stop, AtomicBoolean storming, List<Long> latencies)
            throws IOException {
        try (socket) {
            byte[] ping = new byte[32];
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            int count = 0;
            while (!stop.get()) {
                ping[0] = (byte) count;
                long started = System.nanoTime();
                out.write(ping);
                byte[] pong = in.readNBytes(ping.length);
                long took = System.nanoTime() - started;
                assertThat(pong).isEqualTo(ping);
                if (storming.get()) {
                    latencies.add(took);
                }
                count++;
            }
            return count;
        }
    }

    /**
     * One peer never reads while the server sends to it, on a loop shared with everyone: its sends queue up to the
     * limit and then fail with 2301105, its connection stays open, and five other connections echo at full speed
     * meanwhile. When it reads at last, it gets every byte of every send that was accepted.
     */
    @Test
    void aPeerThatNeverReadsFillsOnlyItsOwnQueue() throws Exception {
        int queueLimit = 1024 * 1024;
        NioSocketFactory factory = this.factories.make(settings -> settings.ioThreads(1).sendQueueLimit(queueLimit));
        TCPSocketServer server = factory.constructTCPSocketServerInstance();
        // A small kernel send buffer, so that the queue, not the kernel, holds what the slow peer does not read.
        TCPExtraOptions small = new TCPExtraOptions();
        small.setSendBufferSize(16 * 1024);
        Await.result(server.setExtraOptions(small));
        LinkedBlockingQueue<TCPSocketConnection> accepted = ServerPeers.accepted(server);
        NetAddress address = ServerPeers.listen(server);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new java.net.InetSocketAddress("127.0.0.1", address.port()));
            TCPSocketConnection toSlow = ServerPeers.next(accepted);

            byte[] chunk = new byte[64 * 1024];
            new SplittableRandom(3).nextBytes(chunk);
            CompletableFuture<BusinessError> firstFailure = new CompletableFuture<>();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 1000 && !firstFailure.isDone(); i++) {
                CompletableFuture<Void> send = toSlow.send(new TCPSendOptions(chunk));
                send.whenComplete((ok, error) -> {
                    if (error != null) {
                        firstFailure.complete((BusinessError) error);
                    }
                });
                sends.add(send);
            }
            BusinessError full = firstFailure.get(Await.SECONDS, TimeUnit.SECONDS);
            assertThat(full.getCode()).isEqualTo(BusinessError.NO_BUFFER_SPACE);
            assertThat(full).hasMessageContaining("limit of " + queueLimit + " bytes");
            assertThat(Await.result(toSlow.getState()).isConnected()).isTrue();

            // Five other connections on the same loop echo 200 round trips of 1 KiB each meanwhile.
            server.on(TCPSocketServer.CONNECT, ServerPeers::echo);
            ExecutorService threads = Executors.newFixedThreadPool(5);
            try {
                List<Future<Integer>> echoes = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Socket peer = new Socket("127.0.0.1", address.port());
                    echoes.add(threads.submit(() -> roundTrips(peer, 200, 1024)));
                }
                for (Future<Integer> echo : echoes) {
                    assertThat(echo.get(Await.SECONDS, TimeUnit.SECONDS)).isEqualTo(200);
                }
            }
            finally {
                threads.shutdownNow();
            }
            assertThat(sends.stream().filter(send -> !send.isDone()).count())
                .as("sends still waiting for the slow peer").isPositive();

            // The slow peer reads at last: every accepted send arrives, in order, then the FIN of close().
            CompletableFuture<Void> closed = toSlow.close();
            byte[] arrived = slow.getInputStream().readAllBytes();
            Await.result(closed);
            long delivered = sends.stream().filter(send -> !send.isCompletedExceptionally()).count();
            assertThat(arrived.length).isEqualTo(delivered * chunk.length);
            for (int offset = 0; offset < arrived.length; offset += chunk.length) {
                assertThat(Arrays.equals(arrived, offset, offset + chunk.length, chunk, 0, chunk.length))
                    .as("chunk at %d", offset).isTrue();
            }
        }
    }

    private static int roundTrips(Socket peer, int count, int size) throws IOException {
        try (peer) {
            byte[] message = new byte[size];
            OutputStream out = peer.getOutputStream();
            InputStream in = peer.getInputStream();
            for (int i = 0; i < count; i++) {
                Arrays.fill(message, (byte) i);
                out.write(message);
                assertThat(in.readNBytes(size)).isEqualTo(message);
            }
            return count;
        }
    }

    private static void assumeDescriptors(long needed) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
            Assumptions.assumeTrue(free >= needed, "skipped: this test needs about " + needed
                    + " free file descriptors, but the limit leaves " + free
                    + "; raise it with 'ulimit -n 65536' (.ci/run does) and run again");
        }
    }

    /** A JVM running a test class's {@code main}, read line by line, told what to do on its input. */
    private static final class ChildProcess implements AutoCloseable {

        private final Process process;

        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private ChildProcess(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader output = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    output.lines().forEach(this.lines::add);
                }
                catch (IOException ex) {
                    // The process ended.
                }
            }, "child-process-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static ChildProcess start(Class<?> main, String... args) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            String classes = Path.of(main.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
            List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classes, main.getName()));
            command.addAll(List.of(args));
            return new ChildProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        String nextLine() throws InterruptedException {
            String line = this.lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("a line from the child process within %d s", WAIT_SECONDS).isNotNull();
            return line;
        }

        void command(String line) throws IOException {
            OutputStream in = this.process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        @Override
        public void close() throws InterruptedException {
            this.process.destroyForcibly();
            this.process.waitFor(Await.SECONDS, TimeUnit.SECONDS);
        }

    }

}
