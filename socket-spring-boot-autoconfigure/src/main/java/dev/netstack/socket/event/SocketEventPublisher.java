package dev.netstack.socket.event;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.nio.NioMulticastSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.SocketObserver;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Republishes every event of every socket of a factory as a {@link SocketEvent}, so that {@code @EventListener}
 * methods see them without the application calling {@code on()}.
 *
 * <p>As a {@link SocketObserver} it runs on the event loops, where it only builds the event and queues it
 * (lock-free, never blocking). One dispatch thread, {@value #THREAD_NAME}, publishes the events in order, so the
 * events of each socket keep their order and a slow listener never stalls any socket's I/O. The queue is bounded:
 * when listeners fall behind by more than {@value #DEFAULT_MAX_EVENTS} events or {@value #DEFAULT_MAX_BYTES} payload
 * bytes, further message and error events are dropped and counted ({@link #droppedEvents()}, the
 * {@code socket.events.dropped} meter). Listeners that do real work should hand it to their own executor.
 *
 * <p>Events emitted before the context has started (say by a socket bound in {@code @PostConstruct}) wait in the
 * queue and are published once {@link #start()} runs, when every {@code @EventListener} is registered. On stop, the
 * queued events are delivered for up to the drain timeout.
 */
public class SocketEventPublisher implements SocketObserver, SmartLifecycle {

    /** The name of the dispatch thread. */
    public static final String THREAD_NAME = "socket-events";

    /** The most message and error events queued at once. */
    public static final int DEFAULT_MAX_EVENTS = 8192;

    /** The most message payload bytes queued at once: 32 MiB. */
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;

    /**
     * The lifecycle phase: the socket factory's lifecycle must use a higher one, so that the 'close' events of its
     * sockets are queued before the publisher drains and stops.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final EventDispatcher dispatcher;

    private final Duration drainTimeout;

    /**
     * The last addresses of each bound or connected socket, so that its close event can still name them: the socket
     * forgets its addresses as it closes. Touched on listening, connect and close only, never per message.
     */
    private final Map<Long, Endpoints> endpoints = new ConcurrentHashMap<>();

    /**
     * Creates a publisher with the default bounds.
     * @param publisher where to publish, usually the application context
     * @param drainTimeout how long {@link #stop()} waits for listeners to take the queued events
     */
    public SocketEventPublisher(ApplicationEventPublisher publisher, Duration drainTimeout) {
        this(publisher, drainTimeout, DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES);
    }

    /**
     * Creates a publisher.
     * @param publisher where to publish, usually the application context
     * @param drainTimeout how long {@link #stop()} waits for listeners to take the queued events
     * @param maxEvents the most message and error events queued at once, 1 to 2^20
     * @param maxBytes the most message payload bytes queued at once, 1 to 2^36
     * @throws IllegalArgumentException when a bound is out of range
     */
    public SocketEventPublisher(ApplicationEventPublisher publisher, Duration drainTimeout, int maxEvents,
            long maxBytes) {
        this.dispatcher = new EventDispatcher(THREAD_NAME, publisher::publishEvent, maxEvents, maxBytes);
        this.drainTimeout = drainTimeout;
    }

    @Override
    public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
        // On the event loop: build and queue, nothing else. Messages first: they are nearly every event. They come
        // from read batches, so the dispatch thread is woken once per batch, in batchEnded(); every other event
        // wakes it at once, as it may come from anywhere (close, connect, a failed send).
        if (type == SocketEventType.MESSAGE) {
            this.dispatcher.offerDeferred(new SocketMessageEvent(socket, socket.localAddress(), socket.remoteAddress(),
                    (SocketMessageInfo) payload));
        }
        else if (type == SocketEventType.ERROR) {
            this.dispatcher.offer(new SocketErrorEvent(socket, socket.localAddress(), socket.remoteAddress(),
                    (BusinessError) payload));
        }
        else if (type == SocketEventType.LISTENING) {
            NetAddress local = socket.localAddress();
            this.endpoints.put(socket.id(), new Endpoints(local, null));
            this.dispatcher.offer(new SocketListeningEvent(socket, local));
        }
        else if (type == SocketEventType.CONNECT) {
            NetAddress local = socket.localAddress();
            NetAddress remote = socket.remoteAddress();
            this.endpoints.put(socket.id(), new Endpoints(local, remote));
            this.dispatcher.offer(new SocketConnectEvent(socket, local, remote));
        }
        else if (type == SocketEventType.CLOSE) {
            Endpoints last = this.endpoints.remove(socket.id());
            this.dispatcher.offer((last != null) ? new SocketCloseEvent(socket, last.local(), last.remote())
                    : new SocketCloseEvent(socket, null, null));
        }
    }

    @Override
    public void membershipChanged(NioSocket socket, NetAddress group, boolean joined) {
        this.dispatcher.offer(new SocketMembershipEvent(socket, socket.localAddress(), group, joined,
                ((NioMulticastSocket) socket).groups()));
    }

    @Override
    public void batchEnded(NioSocket socket) {
        this.dispatcher.signal();
    }

    /**
     * Returns how many events were dropped because listeners fell behind, or arrived after stop.
     * @return the total
     */
    public long droppedEvents() {
        return this.dispatcher.dropped();
    }

    /**
     * Returns how many times a listener threw.
     * @return the total
     */
    public long listenerFailures() {
        return this.dispatcher.failures();
    }

    @Override
    public void start() {
        this.dispatcher.start();
    }

    @Override
    public void stop() {
        this.dispatcher.stop(this.drainTimeout);
    }

    @Override
    public boolean isRunning() {
        return this.dispatcher.isRunning();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Not paused by {@code context.stop()}: the sockets go on, and so must their events. Stopped on close only.
     * @return {@code false}
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    private record Endpoints(NetAddress local, NetAddress remote) {
    }

}
