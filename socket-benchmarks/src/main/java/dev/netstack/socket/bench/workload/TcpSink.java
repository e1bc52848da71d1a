package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLServerSocket;

import dev.netstack.socket.bench.contender.TlsMaterial;

/**
 * The receiving end of the TCP and TLS bulk workloads, the same for every contender: one blocking thread that accepts
 * one connection and reads into a 1 MiB buffer until the peer closes, noting when (and after how much sender CPU
 * time) the warm-up bytes and all bytes have arrived.
 */
final class TcpSink implements AutoCloseable {

    private final ServerSocket server;

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
        this(warmupBytes, totalBytes, cpu, false);
    }

    /**
     * Starts the sink.
     * @param tls whether it is a TLS 1.3 server with {@link TlsMaterial}'s context (the JDK's {@code SSLSocket}:
     * a read returns at most one record of plaintext)
     */
    TcpSink(long warmupBytes, long totalBytes, java.util.function.LongSupplier cpu, boolean tls) throws IOException {
        this.cpu = cpu;
        this.server = tls ? tlsServer() : ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)).socket();
        this.thread = new Thread(() -> {
            long total = 0;
            try (Socket connection = this.server.accept()) {
                Source source = tls ? stream(connection.getInputStream()) : channel(connection.getChannel());
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
        return () -> channel.read(buffer.clear());
    }

    private static Source stream(InputStream in) {
        byte[] buffer = new byte[1024 * 1024];
        return () -> in.read(buffer);
    }

    /** One read of the sink: bytes read, or -1 at the end of the stream. */
    private interface Source {

        int read() throws IOException;

    }

    InetSocketAddress address() {
        return (InetSocketAddress) this.server.getLocalSocketAddress();
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
