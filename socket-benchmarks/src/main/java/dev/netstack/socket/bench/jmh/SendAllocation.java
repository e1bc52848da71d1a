package dev.netstack.socket.bench.jmh;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

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
import dev.netstack.socket.bench.contender.EngineContender;
import dev.netstack.socket.bench.contender.UdpSender;

/**
 * Workload 6b: allocation per UDP send. The benchmark thread (not an event loop thread, as in most applications)
 * sends 64-byte datagrams through the contender's API, {@value #BATCH} per invocation, and waits for their
 * completion; one operation is one send. The target is a bound channel that nobody reads, so that no receiver
 * allocates; the kernel drops what does not fit. {@code engine-future} is the engine's promise form.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SendAllocation {

    /** Held, so that the setting is not collected: the engine's INFO lines would clutter the JMH output. */
    private static final java.util.logging.Logger ENGINE_LOG = java.util.logging.Logger.getLogger("dev.netstack");

    static {
        ENGINE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    /** Sends per invocation. */
    static final int BATCH = 256;

    static final int SIZE = 64;

    /** The sending contender. */
    @Param({Contenders.ENGINE, "engine-future", Contenders.NETTY_NIO, Contenders.PLAIN})
    public String sender;

    private Contender contender;

    private DatagramChannel target;

    private UdpSender udp;

    /**
     * Starts the sender and the silent target.
     * @throws Exception when either cannot start
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        this.target = DatagramChannel.open();
        this.target.bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = (InetSocketAddress) this.target.getLocalAddress();
        boolean future = "engine-future".equals(this.sender);
        this.contender = Contenders.start(future ? Contenders.ENGINE : this.sender);
        this.udp = future ? ((EngineContender) this.contender).udpFutureSender(address, SIZE)
                : this.contender.udpSender(address, SIZE);
    }

    /**
     * Sends {@value #BATCH} datagrams and waits until all completed.
     * @throws Exception when a send fails
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void send() throws Exception {
        this.udp.sendAndAwait(BATCH);
    }

    /**
     * Stops everything.
     * @throws Exception when closing fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        this.udp.close();
        this.contender.close();
        this.target.close();
    }

}
