package dev.netstack.socket.bench.workload;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.bench.contender.Contender;

/**
 * Workload 2: TCP bulk. The contender is the sender: one connection, 64 KiB sends, as fast as its flow control
 * allows. The receiver is the same for every contender: a plain blocking thread reading into a 1 MiB buffer. The
 * rate is taken at the receiver, from the end of the warm-up bytes to the last byte; the sender's CPU time per MiB
 * over the same bytes compares the senders where the receiver or the machine is the bottleneck.
 */
public final class TcpBulk {

    /** The size of one send. */
    public static final int CHUNK = 64 * 1024;

    private TcpBulk() {
    }

    /**
     * Runs the workload.
     * @param contender the sender
     * @param warmupBytes bytes sent before measuring
     * @param measuredBytes bytes measured
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, long warmupBytes, long measuredBytes, Sink sink) throws Exception {
        run(contender, warmupBytes, measuredBytes, null, false, sink);
    }

    /**
     * Runs the workload over a local (Unix domain) stream: metrics {@code local-bulk.*}, the same sizes and the same
     * receiver.
     * @param contender the sender
     * @param warmupBytes bytes sent before measuring
     * @param measuredBytes bytes measured
     * @param localPath the socket file of the receiver
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, long warmupBytes, long measuredBytes, Path localPath, Sink sink)
            throws Exception {
        run(contender, warmupBytes, measuredBytes, localPath, false, sink);
    }

    /**
     * Runs the workload over TCP, or over TLS 1.3 (rows {@code tls-bulk.*}): the contender's TLS client to a TLS sink
     * on the JDK's {@code SSLSocket}, the handshake before the warm-up bytes.
     * @param contender the sender
     * @param warmupBytes plaintext bytes sent before measuring
     * @param measuredBytes plaintext bytes measured
     * @param sink where the figures go
     * @param tls whether over TLS
     * @throws Exception when the run fails
     */
    public static void run(Contender contender, long warmupBytes, long measuredBytes, Sink sink, boolean tls)
            throws Exception {
        run(contender, warmupBytes, measuredBytes, null, tls, sink);
    }

    private static void run(Contender contender, long warmupBytes, long measuredBytes, Path localPath, boolean tls,
            Sink sink) throws Exception {
        String rows = (localPath != null) ? "local-bulk" : tls ? "tls-bulk" : "tcp-bulk";
        long chunks = (warmupBytes + measuredBytes + CHUNK - 1) / CHUNK;
        byte[] random = new byte[CHUNK];
        ThreadLocalRandom.current().nextBytes(random);
        ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).put(random).flip().asReadOnlyBuffer();
        // The sender's CPU: the calling thread (where plain NIO writes) plus the contender's I/O threads.
        SenderCpu cpu = new SenderCpu(contender.ioThreadPrefix());
        try (TcpSink receiver = (localPath != null)
                ? new TcpSink(Echo.listenLocal(localPath), warmupBytes, chunks * CHUNK, cpu::nanos)
                : tls ? TcpSink.tls(warmupBytes, chunks * CHUNK, cpu::nanos)
                : new TcpSink(warmupBytes, chunks * CHUNK, cpu::nanos)) {
            if (tls) {
                contender.tlsBulk((InetSocketAddress) receiver.address(), chunk, chunks);
            }
            else {
                contender.tcpBulk(receiver.address(), chunk, chunks);
            }
            long nanos = receiver.awaitMeasuredNanos(10, TimeUnit.MINUTES);
            long measured = chunks * CHUNK - warmupBytes;
            sink.report(rows + ".rate", measured / 1e6 / (nanos / 1e9), null);
            sink.report(rows + ".cpu", receiver.measuredCpuNanos() / 1e3 / ((double) measured / (1 << 20)), null);
        }
    }

}
