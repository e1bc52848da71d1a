package dev.netstack.socket.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketMessageEvent;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Measures what republishing socket events as application events costs: UDP datagrams per second received by a
 * socket of the auto-configured factory, with {@code socket.events.enabled} on (and an {@code @EventListener} that
 * counts them) and off. Not a test: run it by hand, alternating the two modes so that both see the same machine.
 *
 * <pre>
 * ./mvnw -q -pl socket-spring-boot-autoconfigure test-compile
 * ./mvnw -q -pl socket-spring-boot-autoconfigure exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.netstack.socket.bench.EventThroughputProbe -Dexec.args="5 3"
 * </pre>
 * Arguments: datagrams counted per measurement (default 1,000,000), rounds (default 3). A plain JDK channel sends
 * 64-byte datagrams as fast as it can from one thread; the socket, on one event loop thread, counts what it
 * receives after the first {@value #WARM_UP} (the kernel may drop some: the rate is what the socket got). Each
 * measurement ends when the count is reached, so nothing here sleeps.
 */
public final class EventThroughputProbe {

    private static final int PAYLOAD = 64;

    private static final int WARM_UP = 100_000;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EventThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        int datagrams = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
        // Warm-up, so that the JIT has compiled both paths before anything is measured.
        measure(true, datagrams / 4);
        measure(false, datagrams / 4);
        double on = 0;
        double off = 0;
        for (int round = 1; round <= rounds; round++) {
            Result withEvents = measure(true, datagrams);
            Result without = measure(false, datagrams);
            on += withEvents.perSecond();
            off += without.perSecond();
            System.out.printf(Locale.ROOT, "round %d: events on %,.0f datagrams/s, %,.0f ns loop CPU per datagram"
                    + " (%,d events delivered, %,d dropped); events off %,.0f datagrams/s, %,.0f ns loop CPU per"
                    + " datagram%n", round, withEvents.perSecond(), withEvents.loopNanosPerDatagram(),
                    withEvents.delivered(), withEvents.dropped(), without.perSecond(), without.loopNanosPerDatagram());
        }
        System.out.printf(Locale.ROOT, "mean: events on %,.0f datagrams/s, off %,.0f datagrams/s, ratio %.2f%n",
                on / rounds, off / rounds, on / off);
    }

    private static Result measure(boolean events, int datagrams) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProbeApplication.class)
            .web(WebApplicationType.NONE)
            .properties("socket.io-threads=1", "socket.events.enabled=" + events,
                    "socket.udp.extra-options.receive-buffer-size=4MB", "spring.main.banner-mode=off",
                    "logging.level.root=warn")
            .run()) {
            UDPSocket socket = context.getBean(SocketFactory.class).constructUDPSocketInstance();
            Window window = new Window(WARM_UP, WARM_UP + datagrams);
            // The socket's own callback runs on the loop: one per datagram, counted without a shared counter.
            socket.on(SocketEventType.MESSAGE, (message) -> window.received());
            socket.bind(new NetAddress("127.0.0.1", 0)).get();
            int port = socket.getLocalAddress().get().port();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = new Thread(() -> blast(port, sending), "probe-sender");
            sender.start();
            boolean complete = window.done.await(120, TimeUnit.SECONDS);
            sending.set(false);
            sender.join();
            if (!complete) {
                throw new IllegalStateException("fewer than " + datagrams + " datagrams arrived within 120 s");
            }
            SocketEventPublisher publisher = context.getBeanProvider(SocketEventPublisher.class).getIfAvailable();
            long dropped = (publisher != null) ? publisher.droppedEvents() : 0;
            return new Result(datagrams * 1e9 / (window.endNanos - window.startNanos),
                    (double) (window.endCpu - window.startCpu) / datagrams, context.getBean(Counter.class).events.sum(),
                    dropped);
        }
    }

    private static void blast(int port, AtomicBoolean sending) {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            ByteBuffer datagram = ByteBuffer.allocateDirect(PAYLOAD);
            while (sending.get()) {
                datagram.clear();
                channel.write(datagram);
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Result(double perSecond, double loopNanosPerDatagram, long delivered, long dropped) {
    }

    /** Loop only, but for the latch and the two times read after it. */
    static final class Window {

        final CountDownLatch done = new CountDownLatch(1);

        private final long start;

        private final long end;

        private long count;

        volatile long startNanos;

        volatile long endNanos;

        // CPU time of the loop thread: what an event costs the loop, whatever else the machine is doing.
        volatile long startCpu;

        volatile long endCpu;

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }

        void received() {
            this.count++;
            if (this.count == this.start) {
                this.startNanos = System.nanoTime();
                this.startCpu = THREADS.getCurrentThreadCpuTime();
            }
            else if (this.count == this.end) {
                this.endNanos = System.nanoTime();
                this.endCpu = THREADS.getCurrentThreadCpuTime();
                this.done.countDown();
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class ProbeApplication {

        @Bean
        Counter counter() {
            return new Counter();
        }

    }

    /** The listener of the 'on' mode: as cheap as a listener gets, so that the bridge's own cost shows. */
    static class Counter {

        final LongAdder events = new LongAdder();

        @EventListener
        void onMessage(SocketMessageEvent event) {
            this.events.increment();
        }

    }

}
