package dev.netstack.socket.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.SocketSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The bridge from socket events to application events, on real loopback sockets: order, content, and that
 * listeners never hold up the event loop.
 */
@Timeout(30)
class SocketEventPublisherTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<SocketEvent> published = new LinkedBlockingQueue<>();

    private SocketEventPublisher publisher;

    private NioSocketFactory factory;

    @AfterEach
    void close() {
        if (this.factory != null) {
            this.factory.close();
        }
        if (this.publisher != null) {
            this.publisher.stop();
        }
    }

    @Test
    void publishesEveryEventOfASocketInOrderWithItsDetails() throws Exception {
        start(this.published::add);
        UDPSocket receiver = this.factory.constructUDPSocketInstance();
        receiver.bind(new NetAddress("127.0.0.1", 0)).get();
        NetAddress receiverAddress = receiver.getLocalAddress().get();
        UDPSocket sender = bound();
        NetAddress senderAddress = sender.getLocalAddress().get();
        for (String text : List.of("one", "two", "three")) {
            sender.send(new UDPSendOptions(text, receiverAddress)).get();
        }
        List<SocketEvent> ofReceiver = eventsOf((NioSocket) receiver, 4);
        receiver.close().get();
        ofReceiver.add(next((NioSocket) receiver));

        assertThat(ofReceiver).extracting((event) -> event.getClass().getSimpleName())
            .containsExactly("SocketListeningEvent", "SocketMessageEvent", "SocketMessageEvent", "SocketMessageEvent",
                    "SocketCloseEvent");
        assertThat(ofReceiver).allSatisfy((event) -> {
            assertThat(event.getSocket()).isSameAs(receiver);
            assertThat(event.getSocketId()).isEqualTo(((NioSocket) receiver).id());
            assertThat(event.getProtocol()).isEqualTo("udp");
            // The close event still names the address the socket was bound to.
            assertThat(event.getLocalAddress()).isEqualTo(receiverAddress);
        });
        assertThat(ofReceiver.subList(1, 4)).map((event) -> ((SocketMessageEvent) event).getMessage().text())
            .containsExactly("one", "two", "three");
        assertThat(ofReceiver.subList(1, 4)).allSatisfy((event) -> {
            assertThat(event.getRemoteAddress()).isEqualTo(senderAddress);
            assertThat(event.toString()).doesNotContain("one", "two", "three");
        });
        assertThat(ofReceiver.get(0).getRemoteAddress()).isNull();
        assertThat(this.publisher.droppedEvents()).isZero();
    }

    @Test
    void publishesErrorsWithTheirCode() throws Exception {
        start(this.published::add);
        NioSocket socket = (NioSocket) this.factory.constructUDPSocketInstance();
        BusinessError error = new BusinessError(BusinessError.CONNECTION_RESET, "reset by peer");
        // The engine emits 'error' for receive failures that loopback cannot provoke on demand: drive the observer.
        this.publisher.eventEmitted(socket, SocketEventType.ERROR, error);
        SocketErrorEvent event = (SocketErrorEvent) next(socket);
        assertThat(event.getError()).isSameAs(error);
        assertThat(event.getError().getCode()).isEqualTo(2301104);
        assertThat(event.toString()).contains("2301104");
    }

    @Test
    void blockingListenerNeverStallsTheIoOfAnySocket() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        start((event) -> {
            if (event instanceof SocketMessageEvent) {
                blocked.countDown();
                hold(release);
            }
            this.published.add(event);
        });
        UDPSocket slow = bound();
        UDPSocket sender = bound();
        sender.send(new UDPSendOptions("stall", slow.getLocalAddress().get())).get();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

        // One loop thread serves every socket: if the listener held it, nothing below would arrive.
        UDPSocket echo = bound();
        UDPSocket client = bound();
        echo.on(SocketEventType.MESSAGE, (message) -> echo.send(new UDPSendOptions(message.bytes(),
                new NetAddress(message.remoteInfo().address(), message.remoteInfo().port()))));
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        client.on(SocketEventType.MESSAGE, (message) -> replies.add(message.text()));
        NetAddress echoAddress = echo.getLocalAddress().get();
        for (int i = 0; i < 200; i++) {
            client.send(new UDPSendOptions("ping-" + i, echoAddress)).get(5, TimeUnit.SECONDS);
            assertThat(replies.poll(5, TimeUnit.SECONDS)).isEqualTo("ping-" + i);
        }
        assertThat(this.factory.eventLoops().loops()).hasSize(1);

        release.countDown();
        List<SocketEvent> ofClient = eventsOf((NioSocket) client, 201);
        assertThat(ofClient.subList(1, 201)).map((event) -> ((SocketMessageEvent) event).getMessage().text())
            .isEqualTo(java.util.stream.IntStream.range(0, 200).mapToObj((i) -> "ping-" + i).toList());
    }

    @Test
    void listenersFallingBehindDropMessagesAndCountThemButKeepLifecycleEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        start((event) -> {
            if (event instanceof SocketMessageEvent && blocked.getCount() > 0) {
                blocked.countDown();
                hold(release);
            }
            this.published.add(event);
        }, 4, SocketEventPublisher.DEFAULT_MAX_BYTES);
        UDPSocket receiver = bound();
        BlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, received::add);
        UDPSocket sender = bound();
        NetAddress to = receiver.getLocalAddress().get();
        sender.send(new UDPSendOptions("m-0", to)).get();
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < 50; i++) {
            sender.send(new UDPSendOptions("m-" + i, to)).get();
        }
        for (int i = 0; i < 50; i++) {
            // Every datagram reached the socket's own callback: the loop never waited for the listener.
            assertThat(received.poll(5, TimeUnit.SECONDS)).as("datagram %d", i).isNotNull();
        }
        // One in delivery (still counted against the budget), three queued: the other 46 are dropped and counted.
        // The socket's callbacks run before the observers, so the last drop may be an instant behind.
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.publisher.droppedEvents()).isEqualTo(46));
        receiver.close().get();
        release.countDown();

        List<SocketEvent> ofReceiver = eventsOf((NioSocket) receiver, 6);
        assertThat(ofReceiver).extracting((event) -> event.getClass().getSimpleName())
            .containsExactly("SocketListeningEvent", "SocketMessageEvent", "SocketMessageEvent", "SocketMessageEvent",
                    "SocketMessageEvent", "SocketCloseEvent");
        assertThat(ofReceiver.subList(1, 5)).map((event) -> ((SocketMessageEvent) event).getMessage().text())
            .containsExactly("m-0", "m-1", "m-2", "m-3");
    }

    @Test
    void payloadBytesAreBoundedToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start((event) -> {
            hold(release);
            this.published.add(event);
        }, 1000, 2 * EventDispatcher.EVENT_OVERHEAD + 3 * (1000 + EventDispatcher.EVENT_OVERHEAD));
        UDPSocket receiver = bound();
        BlockingQueue<SocketMessageInfo> received = new LinkedBlockingQueue<>();
        receiver.on(SocketEventType.MESSAGE, received::add);
        UDPSocket sender = bound();
        NetAddress to = receiver.getLocalAddress().get();
        for (int i = 0; i < 10; i++) {
            sender.send(new UDPSendOptions(new byte[1000], to)).get();
            assertThat(received.poll(5, TimeUnit.SECONDS)).isNotNull();
        }
        // The receiver's 'listening' event holds the thread, the sender's waits: the bound admits three 1000-byte
        // datagrams besides, each event costing its payload and a fixed overhead.
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.publisher.droppedEvents()).isEqualTo(7));
        release.countDown();
    }

    @Test
    void eventsBeforeStartWaitAndEventsAfterStopAreDroppedAndCounted() throws Exception {
        this.publisher = new SocketEventPublisher((event) -> this.published.add((SocketEvent) event),
                Duration.ofSeconds(5));
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).observer(this.publisher).build());
        UDPSocket early = bound();
        assertThat(this.published.poll(100, TimeUnit.MILLISECONDS)).isNull();
        this.publisher.start();
        assertThat(next((NioSocket) early)).isInstanceOf(SocketListeningEvent.class);

        this.publisher.stop();
        assertThat(this.publisher.isRunning()).isFalse();
        early.close().get();
        assertThat(this.publisher.droppedEvents()).isEqualTo(1);
        assertThat(this.published).isEmpty();
    }

    @Test
    void stopDeliversTheEventsAlreadyQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start((event) -> {
            hold(release);
            this.published.add(event);
        });
        UDPSocket one = bound();
        UDPSocket two = bound();
        one.close().get();
        two.close().get();
        release.countDown();
        this.publisher.stop();
        assertThat(this.published).hasSize(4);
        assertThat(this.publisher.droppedEvents()).isZero();
    }

    @Test
    void listenerThatThrowsIsCountedAndDeliveryGoesOn() throws Exception {
        start((event) -> {
            if (event instanceof SocketListeningEvent) {
                throw new IllegalStateException("listener failure");
            }
            this.published.add(event);
        });
        UDPSocket socket = bound();
        socket.close().get();
        assertThat(next((NioSocket) socket)).isInstanceOf(SocketCloseEvent.class);
        assertThat(this.publisher.listenerFailures()).isEqualTo(1);
    }

    @Test
    void listenerMayStopThePublisherWithoutWaitingForItself() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        start((event) -> {
            this.publisher.stop();
            stopped.countDown();
        });
        bound();
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> !this.publisher.isRunning());
    }

    @Test
    void boundsOutOfRangeAreRefusedNamingTheValue() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SocketEventPublisher((event) -> { }, Duration.ofSeconds(1), 0, 1024))
            .withMessage("maxEvents 0 is out of range 1..1048576");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SocketEventPublisher((event) -> { }, Duration.ofSeconds(1), 16, 1L << 40))
            .withMessage("maxBytes 1099511627776 is out of range 1..68719476736");
    }

    private void start(Consumer<SocketEvent> listener) {
        start(listener, SocketEventPublisher.DEFAULT_MAX_EVENTS, SocketEventPublisher.DEFAULT_MAX_BYTES);
    }

    private void start(Consumer<SocketEvent> listener, int maxEvents, long maxBytes) {
        this.publisher = new SocketEventPublisher((event) -> listener.accept((SocketEvent) event), Duration.ofSeconds(5),
                maxEvents, maxBytes);
        this.publisher.start();
        this.factory = new NioSocketFactory(SocketSettings.builder().ioThreads(1).observer(this.publisher).build());
    }

    private UDPSocket bound() throws Exception {
        UDPSocket socket = this.factory.constructUDPSocketInstance();
        socket.bind(new NetAddress("127.0.0.1", 0)).get(5, TimeUnit.SECONDS);
        return socket;
    }

    private SocketEvent next(NioSocket socket) throws InterruptedException {
        return eventsOf(socket, 1).get(0);
    }

    /** Takes published events until {@code count} of the socket's are in, keeping the others' out of the way. */
    private List<SocketEvent> eventsOf(NioSocket socket, int count) throws InterruptedException {
        List<SocketEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.size() < count) {
            SocketEvent event = this.published.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(event).as("event %d of %s", events.size(), socket).isNotNull();
            if (event.getSocketId() == socket.id()) {
                events.add(event);
            }
        }
        return events;
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
