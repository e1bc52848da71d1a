package dev.netstack.socket.bench.jmh;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.netstack.socket.bench.contender.Contender;
import dev.netstack.socket.bench.contender.Contenders;
import dev.netstack.socket.bench.contender.UdpSink;
import dev.netstack.socket.bench.contender.Waits;

/**
 * Workload 6a: allocation per received datagram. The benchmark thread sends 64-byte datagrams over loopback from a
 * plain blocking channel in bursts of {@value #BURST} and waits until the contender's receiver has counted them;
 * one operation is one datagram. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} (all threads) is the bytes
 * allocated per datagram, sender included; the {@code plain} receiver shows that floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReceiveAllocation {

    /** Held, so that the setting is not collected: the engine's INFO lines would clutter the JMH output. */
    private static final java.util.logging.Logger ENGINE_LOG = java.util.logging.Logger.getLogger("dev.netstack");

    static {
        ENGINE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Datagrams per invocation. */
    static final int BATCH = 256;

    /** Datagrams in flight at once: far below the receive buffer, so none is lost. */
    static final int BURST = 32;

    static final int SIZE = 64;

    /** The receiving contender. */
    @Param({Contenders.ENGINE, Contenders.NETTY_NIO, Contenders.PLAIN})
    public String receiver;

    private Contender contender;

    private UdpSink sink;

    private DatagramChannel sender;

    private final ByteBuffer payload = ByteBuffer.allocateDirect(SIZE);

    private long expected;

    // Made once: a lambda made per wait would be allocation of the benchmark's own.
    private BooleanSupplier caughtUp;

    /**
     * Starts the receiver and the sender.
     * @throws Exception when either cannot start
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        this.contender = Contenders.start(this.receiver);
        this.sink = this.contender.udpSink();
        this.sender = DatagramChannel.open();
        this.sender.bind(new InetSocketAddress("127.0.0.1", 0));
        this.sender.connect(new InetSocketAddress("127.0.0.1", this.sink.port()));
        this.expected = this.sink.counter().messages();
        this.caughtUp = () -> this.sink.counter().messages() >= this.expected;
    }

    /**
     * Sends {@value #BATCH} datagrams and waits until all were received.
     * @throws Exception when they are not received within 10 s
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receive() throws Exception {
        for (int i = 0; i < BATCH; i += BURST) {
            for (int j = 0; j < BURST; j++) {
                this.sender.write(this.payload.clear());
            }
            this.expected += BURST;
            Waits.until(this.caughtUp, "receipt");
        }
    }

    /**
     * Stops everything.
     * @throws Exception when closing fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        this.sender.close();
        this.sink.close();
        this.contender.close();
    }

}
