package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLServerSocket;

import dev.netstack.socket.bench.contender.TlsMaterial;

/**
 * The receiving end of the TCP, TLS and local bulk workloads, the same for every contender: one blocking thread that accepts
 * one connection and reads into a 1 MiB buffer until the peer closes, noting when (and after how much sender CPU
 * time) the warm-up bytes and all bytes have arrived.
 */
final class TcpSink implements AutoCloseable {

    /** A TCP or Unix domain listening channel, or a TLS server socket. */
    private final AutoCloseable server;

    private final SocketAddress address;

    private final Thread thread;

    private final CountDownLatch finished = new CountDownLatch(1);

    private final java.util.function.LongSupplier cpu;

    private volatile long warmedAt;

    private volatile long cpuAtWarm;

    private volatile long cpuAtEnd;

    private volatile long finishedAt;

    private volatile long received;

    private volatile Throwable failure;

    TcpSink(long warmupBytes, long totalBytes, java.util.function.LongSupplier cpu) throws IOException {
        this(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)), warmupBytes, totalBytes, cpu);
    }

    /**
     * Makes a sink on a listening channel of any family: TCP, or a Unix domain socket for the local workload.
     */
    TcpSink(ServerSocketChannel server, long warmupBytes, long totalBytes, java.util.function.LongSupplier cpu)
            throws IOException {
        this(server, server.getLocalAddress(), () -> channel(server.accept()), warmupBytes, totalBytes, cpu);
    }

    /**
     * Makes a TLS 1.3 sink with {@link TlsMaterial}'s context (the JDK's {@code SSLSocket}: a read returns at most
     * one record of plaintext).
     */
    static TcpSink tls(long warmupBytes, long totalBytes, java.util.function.LongSupplier cpu) throws IOException {
        ServerSocket server = tlsServer();
        return new TcpSink(server, server.getLocalSocketAddress(), () -> stream(server.accept()), warmupBytes,
                totalBytes, cpu);
    }

    private TcpSink(AutoCloseable server, SocketAddress address, Acceptor acceptor, long warmupBytes,
            long totalBytes, java.util.function.LongSupplier cpu) {
        this.cpu = cpu;
        this.server = server;
        this.address = address;
        this.thread = new Thread(() -> {
            long total = 0;
            try (Source source = acceptor.accept()) {
                int read;
                while ((read = source.read()) >= 0) {
                    long before = total;
                    total += read;
                    if (before < warmupBytes && total >= warmupBytes) {
                        this.warmedAt = System.nanoTime();
                        this.cpuAtWarm = this.cpu.getAsLong();
                    }
                    if (total >= totalBytes) {
                        this.finishedAt = System.nanoTime();
                        this.cpuAtEnd = this.cpu.getAsLong();
                        break;
                    }
                }
            }
            catch (IOException ex) {
                this.failure = ex;
            }
            finally {
                this.received = total;
                this.finished.countDown();
            }
        }, "tcp-sink");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static ServerSocket tlsServer() throws IOException {
        SSLServerSocket server = (SSLServerSocket) TlsMaterial.context().getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        server.setEnabledProtocols(new String[] { TlsMaterial.PROTOCOL });
        return server;
    }

    private static Source channel(SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1024 * 1024);
        return new Source() {
            @Override
            public int read() throws IOException {
                return channel.read(buffer.clear());
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    private static Source stream(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[1024 * 1024];
        return new Source() {
            @Override
            public int read() throws IOException {
                return in.read(buffer);
            }

            @Override
            public void close() throws IOException {
                connection.close();
            }
        };
    }

    /** The one connection of the sink, accepted. */
    private interface Acceptor {

        Source accept() throws IOException;

    }

    /** One read of the sink: bytes read, or -1 at the end of the stream. */
    private interface Source extends AutoCloseable {

        int read() throws IOException;

        @Override
        void close() throws IOException;

    }

    SocketAddress address() {
        return this.address;
    }

    /**
     * Waits until every byte arrived.
     * @return nanoseconds from the end of the warm-up to the last byte
     * @throws Exception when the connection failed or ended early
     */
    long awaitMeasuredNanos(long timeout, TimeUnit unit) throws Exception {
        if (!this.finished.await(timeout, unit)) {
            throw new TimeoutException("sink received " + this.received + " bytes before timing out");
        }
        if (this.failure != null) {
            throw new IOException("sink failed after " + this.received + " bytes", this.failure);
        }
        if (this.finishedAt == 0) {
            throw new IOException("connection ended after " + this.received + " bytes");
        }
        return this.finishedAt - this.warmedAt;
    }

    /**
     * Returns the sender's CPU time between the end of the warm-up and the last byte; valid after
     * {@link #awaitMeasuredNanos}.
     * @return nanoseconds
     */
    long measuredCpuNanos() {
        return this.cpuAtEnd - this.cpuAtWarm;
    }

    @Override
    public void close() throws Exception {
        this.server.close();
        this.thread.join(5000);
    }

}
