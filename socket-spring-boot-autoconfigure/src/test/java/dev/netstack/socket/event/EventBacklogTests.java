package dev.netstack.socket.event;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners that fall behind while sockets come and go: the publisher's queue stays bounded for every kind of event,
 * lifecycle events included, and what it queues never keeps a closed socket reachable.
 */
@Timeout(120)
class EventBacklogTests {

    /** Bind and close cycles: about 11 MB of queued events and closed sockets when lifecycle events are unbounded. */
    private static final int CYCLES = 10_000;

    private static final int MAX_EVENTS = 64;

    /** How much the heap may grow over the cycles: a few MiB of noise, far below what unbounded events hold. */
    private static final long HEAP_BOUND = 4L * 1024 * 1024;

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BlockingQueue<SocketEvent> published = new LinkedBlockingQueue<>();

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<NioSocketFactory> factories = new ArrayList<>();

    private SocketEventPublisher publisher;

    @AfterEach
    void close() {
        this.release.countDown();
        this.factories.forEach(NioSocketFactory::close);
        if (this.publisher != null) {
            this.publisher.stop();
        }
    }

    @Test
    void aBlockedListenerAndManyBindCloseCyclesKeepTheQueueAtItsCapAndLetClosedSocketsGo() throws Exception {
        this.publisher = new SocketEventPublisher((event) -> {
            hold(this.release);
            this.published.add((SocketEvent) event);
        }, Duration.ofSeconds(5), MAX_EVENTS, SocketEventPublisher.DEFAULT_MAX_BYTES);
        this.publisher.start();
        NioSocketFactory factory = factory();
        Logger engine = Logger.getLogger("dev.netstack.socket.nio");
        Level level = engine.getLevel();
        // Two INFO lines per cycle would only slow the test down.
        engine.setLevel(Level.WARNING);
        long heapBefore = usedHeapAfterGc();
        List<WeakReference<UDPSocket>> closed = new ArrayList<>(CYCLES);
        try {
            for (int i = 0; i < CYCLES; i++) {
                closed.add(new WeakReference<>(bindAndClose(factory)));
            }
        }
        finally {
            engine.setLevel(level);
        }

        // Every cycle emits 'listening' and 'close'. Lifecycle events may fill the queue to twice its bound: the one
        // the blocked listener holds and 2 * MAX_EVENTS - 1 queued; every other one is dropped and counted.
        long dropped = 2L * CYCLES - 2 * MAX_EVENTS;
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.publisher.droppedEvents()).isEqualTo(dropped));
        assertThat(this.publisher.droppedEvents(SocketEventType.LISTENING)
                + this.publisher.droppedEvents(SocketEventType.CLOSE)).isEqualTo(dropped);
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth over %d bind/close cycles, bytes", CYCLES)
            .isLessThan(HEAP_BOUND);
        // Closed sockets whose events are still queued are not kept reachable by them. (The listener holds the
        // first socket's 'listening' event, and so that socket.)
        await().atMost(WAIT).until(() -> {
            System.gc();
            return closed.subList(1, CYCLES).stream().allMatch((reference) -> reference.get() == null);
        });

        this.release.countDown();
        await().atMost(WAIT).until(() -> this.published.size() == 2 * MAX_EVENTS);
        List<SocketEvent> events = new ArrayList<>(this.published);
        assertThat(events.subList(2, 4)).extracting((event) -> event.getClass().getSimpleName())
            .containsExactly("SocketListeningEvent", "SocketCloseEvent");
        assertThat(events).allSatisfy((event) -> {
            assertThat(event.getProtocol()).isEqualTo("udp");
            assertThat(event.getLocalAddress().address()).isEqualTo("127.0.0.1");
        });
        // The second socket's events outlived it: they still tell which socket it was.
        assertThat(events.subList(2, 4)).allSatisfy((event) -> {
            assertThat(event.getSocket()).isNull();
            assertThat(event.getSocketId()).isEqualTo(2);
            assertThat(event.getSource()).hasToString("UDP socket #2");
        });
    }

    @Test
    void onePublisherObservingTwoFactoriesKeepsTheirSocketsApart() throws Exception {
        this.publisher = new SocketEventPublisher((event) -> this.published.add((SocketEvent) event),
                Duration.ofSeconds(5));
        this.publisher.start();
        UDPSocket first = factory().constructUDPSocketInstance();
        UDPSocket second = factory().constructUDPSocketInstance();
        // Each factory numbers its sockets from 1.
        assertThat(((NioSocket) first).id()).isEqualTo(((NioSocket) second).id());
        first.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        second.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        NetAddress firstAddress = first.getLocalAddress().get();
        NetAddress secondAddress = second.getLocalAddress().get();
        first.close().get(5, TimeUnit.SECONDS);
        second.close().get(5, TimeUnit.SECONDS);

        List<SocketEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SocketEvent event = this.published.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(event).as("event %d", i).isNotNull();
            events.add(event);
        }
        assertThat(events).filteredOn(SocketCloseEvent.class::isInstance).satisfiesExactly((closeOfFirst) -> {
            assertThat(closeOfFirst.getSocket()).isSameAs(first);
            assertThat(closeOfFirst.getLocalAddress()).isEqualTo(firstAddress);
        }, (closeOfSecond) -> {
            assertThat(closeOfSecond.getSocket()).isSameAs(second);
            assertThat(closeOfSecond.getLocalAddress()).isEqualTo(secondAddress);
        });
    }

    private NioSocketFactory factory() {
        NioSocketFactory factory = new NioSocketFactory(SocketSettings.builder()
            .ioThreads(1)
            .threadNamePrefix("socket-io-EventBacklogTests-")
            .observer(this.publisher)
            .build());
        this.factories.add(factory);
        return factory;
    }

    private static UDPSocket bindAndClose(NioSocketFactory factory) throws Exception {
        UDPSocket socket = factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        socket.close().get(5, TimeUnit.SECONDS);
        return socket;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
