package dev.netstack.socket.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;

/**
 * Measures bulk send throughput on loopback: one TCPSocket sends {@code total} bytes in {@code chunk}-byte sends to
 * a plain JDK sink that reads and discards them. Not a test (nothing here may decide a build); a first figure to
 * compare changes against.
 *
 * <p>Run after {@code ./mvnw -B -q -pl socket-spring-boot-autoconfigure test-compile}, from that module:
 * {@code java -cp target/classes:target/test-classes dev.netstack.socket.tcp.TcpThroughputProbe [MiB] [chunk KiB] [runs]}
 * (defaults: 1024 MiB, 64 KiB, 5 runs).
 */
public final class TcpThroughputProbe {

    private TcpThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        long total = ((args.length > 0) ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        int chunk = ((args.length > 1) ? Integer.parseInt(args[1]) : 64) * 1024;
        int runs = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
        // Keep at most 8 MiB in flight, well under the default 16 MiB send queue limit.
        int window = Math.max(1, 8 * 1024 * 1024 / chunk);
        byte[] payload = new byte[chunk];
        new SplittableRandom(1).nextBytes(payload);
        System.out.printf("sending %d MiB in %d-byte sends, %d in flight, %d runs; JDK %s, %d cores%n",
                total >> 20, chunk, window, runs, Runtime.version(), Runtime.getRuntime().availableProcessors());
        try (NioSocketFactory factory = NioSocketFactory.create(SocketSettings.builder().ioThreads(1).build())) {
            for (int run = 1; run <= runs; run++) {
                double seconds = run(factory, total, payload, window);
                System.out.printf("run %d: %.2f s, %.0f MB/s (%.0f MiB/s)%n", run, seconds, total / seconds / 1e6,
                        total / seconds / (1 << 20));
            }
        }
    }

    private static double run(NioSocketFactory factory, long total, byte[] payload, int window) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            CompletableFuture<Long> sunk = new CompletableFuture<>();
            Thread sink = new Thread(() -> drain(listener, sunk), "probe-sink");
            sink.start();

            TCPSocket socket = factory.constructTCPSocketInstance();
            socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", port))).get(5, TimeUnit.SECONDS);
            Semaphore inFlight = new Semaphore(window);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long started = System.nanoTime();
            for (long sent = 0; sent < total; sent += payload.length) {
                inFlight.acquire();
                socket.send(new TCPSendOptions(payload)).whenComplete((nothing, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    inFlight.release();
                });
            }
            socket.close().get(60, TimeUnit.SECONDS);
            long received = sunk.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - started) / 1e9;
            sink.join();
            if (failure.get() != null || received < total) {
                throw new IllegalStateException("sink got " + received + " of " + total + " bytes", failure.get());
            }
            return seconds;
        }
    }

    private static void drain(ServerSocketChannel listener, CompletableFuture<Long> sunk) {
        try (SocketChannel peer = listener.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
            long count = 0;
            int read;
            while ((read = peer.read(buffer.clear())) >= 0) {
                count += read;
            }
            sunk.complete(count);
        }
        catch (IOException ex) {
            sunk.completeExceptionally(ex);
        }
    }

}
