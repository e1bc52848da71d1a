package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.ServerRole;
import dev.netstack.socket.bench.contender.TcpServer;
import dev.netstack.socket.bench.contender.TlsMaterial;

/**
 * Server workload 1: accept rate. {@value #CLIENTS} blocking client threads, the same for every contender, each in a
 * loop: connect, read until the server closes, close. The contender's server closes every connection as soon as it
 * has accepted it, so each connection costs it one accept and one close and the clients are paced by the server.
 * After a warm-up, the connections accepted per second and the CPU time of the server's threads per connection are
 * measured; on a small machine the clients share the cores, so the CPU per connection compares the servers where
 * the rate cannot.
 */
public final class ServerAccept {

    /** Blocking client threads. */
    public static final int CLIENTS = 4;

    private ServerAccept() {
    }

    /**
     * Runs the workload.
     * @param contender the server
     * @param warmupMillis how long to connect before measuring
     * @param measureMillis how long to measure
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, long warmupMillis, long measureMillis, Sink sink) throws Exception {
        run(contender, warmupMillis, measureMillis, sink, false);
    }

    /**
     * Runs the workload over TCP, or over TLS 1.3 (rows {@code tls-handshake.*}): then the server closes each
     * connection once its handshake is done, and each client does a full handshake (its session is invalidated, so
     * none is resumed), reads until the close and closes: connections per second are handshakes per second.
     * @param contender the server
     * @param warmupMillis how long to connect before measuring
     * @param measureMillis how long to measure
     * @param sink where the figures go
     * @param tls whether over TLS
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, long warmupMillis, long measureMillis, Sink sink, boolean tls)
            throws Exception {
        String rows = tls ? "tls-handshake" : "accept";
        try (TcpServer server = tls ? contender.tlsServer(ServerRole.CLOSE) : contender.tcpServer(ServerRole.CLOSE);
                Clients clients = new Clients(server.port(), tls)) {
            Thread.sleep(warmupMillis);
            long accepted0 = server.accepted().messages();
            long cpu0 = ThreadCpu.nanos(server.threadName());
            long t0 = System.nanoTime();
            Thread.sleep(measureMillis);
            long accepted1 = server.accepted().messages();
            long cpu1 = ThreadCpu.nanos(server.threadName());
            long t1 = System.nanoTime();
            long accepted = Math.max(1, accepted1 - accepted0);
            String failed = clients.failures() > 0 ? String.format("%d connects failed (%s)", clients.failures(),
                    clients.lastFailure()) : null;
            sink.report(rows + ".rate", accepted / ((t1 - t0) / 1e9), failed);
            sink.report(rows + ".cpu", (cpu1 - cpu0) / 1e3 / accepted, String.format(
                    "server thread busy %.0f%% of the window", 100.0 * (cpu1 - cpu0) / (t1 - t0)));
        }
    }

    /** The blocking clients: connect, wait for the server's close, close, again. */
    private static final class Clients implements AutoCloseable {

        private final List<Thread> threads = new ArrayList<>();

        private final AtomicLong failures = new AtomicLong();

        private volatile String lastFailure;

        private volatile boolean running = true;

        Clients(int port, boolean tls) {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < CLIENTS; i++) {
                Runnable loop = tls ? () -> handshakeInLoop(server) : () -> connectInLoop(server);
                Thread thread = new Thread(loop, "accept-client-" + i);
                thread.setDaemon(true);
                this.threads.add(thread);
                thread.start();
            }
        }

        private void connectInLoop(InetSocketAddress server) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64);
            while (this.running) {
                try (SocketChannel channel = SocketChannel.open(server)) {
                    while (channel.read(buffer.clear()) >= 0) {
                        // The server sends nothing; the read returns -1 when it closes.
                    }
                }
                catch (IOException ex) {
                    this.failures.incrementAndGet();
                    this.lastFailure = ex.toString();
                }
            }
        }

        private void handshakeInLoop(InetSocketAddress server) {
            byte[] buffer = new byte[64];
            while (this.running) {
                try (SSLSocket socket = (SSLSocket) TlsMaterial.context().getSocketFactory()
                    .createSocket(server.getAddress(), server.getPort())) {
                    socket.setEnabledProtocols(new String[] { TlsMaterial.PROTOCOL });
                    socket.startHandshake();
                    // Never resumed: the next connection makes a full handshake, as a new client does.
                    socket.getSession().invalidate();
                    while (socket.getInputStream().read(buffer) >= 0) {
                        // The server sends nothing but its session ticket; -1 when it closes.
                    }
                }
                catch (IOException ex) {
                    this.failures.incrementAndGet();
                    this.lastFailure = ex.toString();
                }
            }
        }

        long failures() {
            return this.failures.get();
        }

        String lastFailure() {
            return this.lastFailure;
        }

        @Override
        public void close() throws InterruptedException {
            this.running = false;
            for (Thread thread : this.threads) {
                thread.join(10_000);
            }
        }

    }

}
