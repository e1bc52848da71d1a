package dev.netstack.socket.udp;

import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;

/**
 * A first, rough figure: one-way UDP datagrams per second over IPv4 loopback, one sender and one receiver on two
 * event loops of one factory. One application thread sends with the callback form and at most {@value #WINDOW} sends
 * in flight; the receiver counts 'message' events. Not a test and not a benchmark harness (no forks, no JIT
 * control): a quick look, to be replaced by a JMH module.
 *
 * <p>Arguments (all optional): payload bytes (64), warm-up seconds (2), measured seconds (5).
 */
public final class UdpThroughputProbe {

    /** Sends in flight at once: enough to keep the loop busy, few enough not to fill the send queue. */
    private static final int WINDOW = 256;

    private UdpThroughputProbe() {
    }

    /**
     * Runs the probe and prints the figures.
     * @param args payload bytes, warm-up seconds, measured seconds
     * @throws Exception when the sockets cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int size = (args.length > 0) ? Integer.parseInt(args[0]) : 64;
        long warmupNanos = TimeUnit.SECONDS.toNanos((args.length > 1) ? Long.parseLong(args[1]) : 2);
        long measureNanos = TimeUnit.SECONDS.toNanos((args.length > 2) ? Long.parseLong(args[2]) : 5);

        try (NioSocketFactory factory = NioSocketFactory
            .create(SocketSettings.builder().ioThreads(2).threadNamePrefix("probe-io-").build())) {
            UDPSocket receiver = factory.constructUDPSocketInstance();
            UDPSocket sender = factory.constructUDPSocketInstance();
            AtomicLong received = new AtomicLong();
            receiver.on(SocketEventType.MESSAGE, message -> received.lazySet(received.get() + 1));
            receiver.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            sender.bind(new NetAddress("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            NetAddress to = receiver.getLocalAddress().get(10, TimeUnit.SECONDS);

            UDPSendOptions datagram = new UDPSendOptions(new byte[size], to);
            Semaphore window = new Semaphore(WINDOW);
            LongAdder completed = new LongAdder();
            LongAdder failed = new LongAdder();
            AsyncCallback<Void> done = (error, data) -> {
                if (error != null) {
                    failed.increment();
                }
                else {
                    completed.increment();
                }
                window.release();
            };

            long start = System.nanoTime();
            long measureFrom = start + warmupNanos;
            long end = measureFrom + measureNanos;
            long sentAtStart = -1;
            long receivedAtStart = -1;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (sentAtStart < 0 && now >= measureFrom) {
                    sentAtStart = completed.sum();
                    receivedAtStart = received.get();
                }
                window.acquire();
                sender.send(datagram, done);
            }
            long sent = completed.sum() - sentAtStart;
            long got = received.get() - receivedAtStart;
            double seconds = measureNanos / 1e9;
            window.acquire(WINDOW);

            System.out.printf(Locale.ROOT, "UDP loopback, %d-byte datagrams, %.0f s measured after %.0f s warm-up%n",
                    size, seconds, warmupNanos / 1e9);
            System.out.printf(Locale.ROOT, "  sent     %,12.0f datagrams/s%n", sent / seconds);
            // Loopback UDP has no flow control: what the receiver's loop cannot take in time the kernel drops.
            System.out.printf(Locale.ROOT, "  received %,12.0f datagrams/s (%.2f %% of sent)%n", got / seconds,
                    (sent > 0) ? 100.0 * got / sent : 0.0);
            System.out.printf(Locale.ROOT, "  failed sends: %d%n", failed.sum());
        }
    }

}
