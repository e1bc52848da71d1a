package dev.netstack.socket.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.autoconfigure.SocketAutoConfiguration;
import dev.netstack.socket.event.SocketCloseEvent;
import dev.netstack.socket.event.SocketEvent;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketMessageEvent;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.tcp.PatternStream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Measures what an {@code @EventListener} that falls behind costs in heap, with the auto-configured factory and
 * publisher and their default bounds. Not a test: run it by hand, before and after a change to the event queue.
 *
 * <pre>
 * ./mvnw -q -pl socket-spring-boot-autoconfigure test-compile
 * ./mvnw -q -pl socket-spring-boot-autoconfigure exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.netstack.socket.bench.EventBacklogProbe -Dexec.args="40000 128"
 * </pre>
 * Arguments: UDP bind/close cycles (default 40,000), MiB a TCP peer sends (default 128, four times the queue's
 * default bound of 32 MiB).
 * <ol>
 * <li>A listener blocks on the first event while a UDP socket is bound and closed again and again: the heap growth
 * after a GC, the events dropped, and how many closed sockets the queued events keep reachable.</li>
 * <li>A listener blocks on the first message while a plain JDK peer sends as fast as TCP lets it: the heap and the
 * bytes the socket had read once they stopped growing (sampled every 100 ms, stalled after 1 s), then, with the
 * listener released, whether every byte reached it in order.</li>
 * </ol>
 */
public final class EventBacklogProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private EventBacklogProbe() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = (args.length > 0) ? Integer.parseInt(args[0]) : 40_000;
        long stream = ((args.length > 1) ? Long.parseLong(args[1]) : 128) * 1024 * 1024;
        bindCloseCycles(cycles);
        slowStreamListener(stream);
    }

    private static void bindCloseCycles(int cycles) throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            Listener listener = context.getBean(Listener.class);
            SocketFactory factory = context.getBean(SocketFactory.class);
            long before = usedHeapAfterGc();
            List<WeakReference<UDPSocket>> closed = new ArrayList<>(cycles);
            for (int i = 0; i < cycles; i++) {
                UDPSocket socket = factory.constructUDPSocketInstance();
                socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
                socket.close().get(5, TimeUnit.SECONDS);
                closed.add(new WeakReference<>(socket));
            }
            long after = usedHeapAfterGc();
            long reachable = closed.stream().filter((reference) -> reference.get() != null).count();
            System.out.printf(Locale.ROOT, "udp bind/close, listener blocked: %,d cycles, heap %+.1f MB after GC,"
                    + " %,d events dropped, %,d of %,d closed sockets still reachable%n", cycles, mb(after - before),
                    dropped(context), reachable, cycles);
            listener.release.countDown();
        }
    }

    private static void slowStreamListener(long total) throws Exception {
        try (ConfigurableApplicationContext context = start();
                ServerSocket server = new ServerSocket()) {
            Listener listener = context.getBean(Listener.class);
            listener.blockEveryEvent = false;
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TCPSocket socket = context.getBean(SocketFactory.class).constructTCPSocketInstance();
            long before = usedHeapAfterGc();
            socket.connect(new TCPConnectOptions(new NetAddress("127.0.0.1", server.getLocalPort())))
                .get(5, TimeUnit.SECONDS);
            Socket peer = server.accept();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> PatternStream.write(peer, total));
            NioSocket nio = (NioSocket) socket;
            long read = awaitStall(nio, total);
            long stalled = usedHeapAfterGc();
            listener.release.countDown();
            writer.get(120, TimeUnit.SECONDS);
            while (nio.bytesReceived() < total) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            // The close event comes after every message: once it is delivered, so is every message still queued.
            socket.close().get(5, TimeUnit.SECONDS);
            if (!listener.closed.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the close event was not delivered within 60 s");
            }
            System.out.printf(Locale.ROOT, "tcp %,d MiB, listener blocked: the socket read %.1f MB before it"
                    + " stalled, heap %+.1f MB after GC while stalled; released: %,d of %,d bytes delivered, %,d"
                    + " chunks out of order, %,d events dropped%n", total >> 20, mb(read), mb(stalled - before),
                    listener.stream.bytes(), total, listener.stream.outOfOrder(), dropped(context));
            peer.close();
        }
    }

    /** Samples what the socket has read until it stops growing for a second, or everything was read. */
    private static long awaitStall(NioSocket socket, long total) throws InterruptedException {
        long last = -1;
        int still = 0;
        while (still < 10) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            long now = socket.bytesReceived();
            if (now == total) {
                return now;
            }
            still = (now == last) ? still + 1 : 0;
            last = now;
        }
        return last;
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ProbeApplication.class).web(WebApplicationType.NONE)
            .properties("socket.io-threads=1", "spring.main.banner-mode=off", "logging.level.root=warn")
            .run();
    }

    private static long dropped(ConfigurableApplicationContext context) {
        return context.getBean(SocketEventPublisher.class).droppedEvents();
    }

    private static long usedHeapAfterGc() {
        MEMORY.gc();
        MEMORY.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static double mb(long bytes) {
        return bytes / 1e6;
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SocketAutoConfiguration.class)
    static class ProbeApplication {

        @Bean
        Listener listener() {
            return new Listener();
        }

    }

    /** Blocks on the first event until released; then checks the stream that the messages carry. */
    static class Listener {

        final CountDownLatch release = new CountDownLatch(1);

        final CountDownLatch closed = new CountDownLatch(1);

        final PatternStream stream = new PatternStream();

        volatile boolean blockEveryEvent = true;

        @EventListener
        void onEvent(SocketEvent event) throws InterruptedException {
            if (this.blockEveryEvent || event instanceof SocketMessageEvent) {
                this.release.await();
            }
            if (event instanceof SocketMessageEvent message) {
                this.stream.add(message.getMessage());
            }
            else if (event instanceof SocketCloseEvent) {
                this.closed.countDown();
            }
        }

    }

}
