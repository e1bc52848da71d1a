package dev.netstack.socket.event;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.event.EventDispatcher.Admission;
import dev.netstack.socket.nio.NioLocalSocketConnection;
import dev.netstack.socket.nio.NioMulticastSocket;
import dev.netstack.socket.nio.NioServerSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.SocketObserver;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Republishes every event of every socket of a factory as a {@link SocketEvent}, so that {@code @EventListener}
 * methods see them without the application calling {@code on()}.
 *
 * <p>As a {@link SocketObserver} it runs on the event loops, where it only records what the event needs and queues
 * it (lock-free, never blocking). One dispatch thread, {@value #THREAD_NAME}, builds and publishes the events in
 * order, so the events of each socket keep their order and a slow listener never stalls any socket's I/O.
 *
 * <p>The queue is bounded for every kind of event, in events and in bytes (payload plus a fixed cost per event),
 * {@value #DEFAULT_MAX_EVENTS} and {@value #DEFAULT_MAX_BYTES} by default. When listeners fall behind:
 * <ul>
 * <li>UDP message events and error events past the bounds are dropped and counted ({@link #droppedEvents()}, the
 * {@code socket.events.dropped} meter);</li>
 * <li>listening, connect and close events may fill the queue to twice the bounds, so that they pass where messages
 * are dropped; past that they are dropped and counted too;</li>
 * <li>a stream's (TCP) message events are never dropped, as a hole would corrupt the stream: once the queue is full,
 * the socket stops reading ({@link NioSocket#suspendReading()}) and TCP's flow control slows the peer, until the
 * queue has drained to half its bounds. The queue may then exceed its bounds by one read per stream socket.</li>
 * </ul>
 * Queued events hold their socket weakly: a closed socket that nothing else refers to is not kept reachable by its
 * queued events, and an event published after the socket was collected has no {@link SocketEvent#getSocket()
 * socket}, but still names it by id and protocol. Listeners that do real work should hand it to their own
 * executor.
 *
 * <p>Events emitted before the context has started (say by a socket bound in {@code @PostConstruct}) wait in the
 * queue and are published once {@link #start()} runs, when every {@code @EventListener} is registered. On stop, the
 * queued events are delivered for up to the drain timeout, and suspended streams read again.
 */
public class SocketEventPublisher implements SocketObserver, SmartLifecycle {

    /** The name of the dispatch thread. */
    public static final String THREAD_NAME = "socket-events";

    /** The default bound on queued events; lifecycle events may fill twice it, streams stop reading at it. */
    public static final int DEFAULT_MAX_EVENTS = 8192;

    /** The default bound on queued bytes, 32 MiB; lifecycle events may fill twice it, streams stop reading at it. */
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;

    /** The highest bound on queued events that a publisher takes: 2^20. */
    public static final int LIMIT_MAX_EVENTS = 1 << 20;

    /** The highest bound on queued bytes that a publisher takes: 64 GiB. */
    public static final long LIMIT_MAX_BYTES = 1L << 36;

    /**
     * The lifecycle phase: the socket factory's lifecycle must use a higher one, so that the 'close' events of its
     * sockets are queued before the publisher drains and stops.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final EventDispatcher dispatcher;

    private final SuspendedStreams suspended;

    private final Duration drainTimeout;

    /**
     * The sockets seen so far and not yet closed, by identity (a socket's id is unique within its factory only, and
     * one publisher may observe several factories). An open socket is held by its factory anyway; the entry leaves
     * with the 'close' event.
     */
    private final Map<NioSocket, ObservedSocket> observed = new ConcurrentHashMap<>();

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
     * @param maxEvents the most events queued at once, 1 to {@value #LIMIT_MAX_EVENTS}
     * @param maxBytes the most bytes queued at once, 1 to {@value #LIMIT_MAX_BYTES}
     * @throws IllegalArgumentException when a bound is out of range
     */
    public SocketEventPublisher(ApplicationEventPublisher publisher, Duration drainTimeout, int maxEvents,
            long maxBytes) {
        SuspendedStreams streams = new SuspendedStreams(this::isDrained);
        this.dispatcher = new EventDispatcher(THREAD_NAME, publisher::publishEvent, maxEvents, maxBytes,
                streams::resumeAll);
        this.suspended = streams;
        this.drainTimeout = drainTimeout;
    }

    private boolean isDrained() {
        return this.dispatcher.isDrained();
    }

    @Override
    public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
        // On the event loop: record and queue, nothing else. Messages first: they are nearly every event. They come
        // from read batches, so the dispatch thread is woken once per batch, in batchEnded(); every other event
        // wakes it at once, as it may come from anywhere (close, connect, a failed send).
        if (type.ordinal() == SocketEventType.MESSAGE.ordinal()) {
            // Any kind's 'message': a local socket's has a type of its own.
            ObservedSocket entry = observe(socket);
            QueuedEvent event = new QueuedEvent(entry, type, socket.localAddress(), socket.remoteAddress(), payload);
            if (!entry.protocol().isStream()) {
                this.dispatcher.offerDeferred(event, Admission.BOUNDED);
            }
            else if (this.dispatcher.offerDeferred(event, Admission.ALWAYS) && this.dispatcher.isFull()) {
                this.suspended.suspend(entry, socket);
            }
        }
        else if (type == SocketEventType.ERROR) {
            this.dispatcher.offer(new QueuedEvent(observe(socket), type, socket.localAddress(),
                    socket.remoteAddress(), payload), Admission.BOUNDED);
        }
        else if (type == SocketEventType.LISTENING || type == SocketEventType.CONNECT) {
            ObservedSocket entry = observe(socket);
            entry.local = socket.localAddress();
            entry.remote = socket.remoteAddress();
            this.dispatcher.offer(new QueuedEvent(entry, type, entry.local, entry.remote, null), Admission.PREFERRED);
        }
        else if (type.ordinal() == SocketEventType.CONNECT.ordinal() && payload != null) {
            // A server's 'connect' (a typed constant per kind, in the slot of CONNECT) is the connect event of the new connection, which tells its server. A local
            // connection arrives as the application holds it.
            NioSocket connection = (payload instanceof NioLocalSocketConnection local) ? local.socket()
                    : (NioSocket) payload;
            ObservedSocket entry = observe(connection);
            entry.local = connection.localAddress();
            entry.remote = connection.remoteAddress();
            this.dispatcher.offer(new QueuedEvent(entry, SocketEventType.CONNECT, entry.local, entry.remote, null),
                    Admission.PREFERRED);
        }
        else if (type == SocketEventType.CLOSE) {
            // The socket has forgotten its addresses by now: the close event names the last ones it had.
            ObservedSocket entry = this.observed.remove(socket);
            if (entry == null) {
                entry = new ObservedSocket(socket);
            }
            this.dispatcher.offer(new QueuedEvent(entry, type, entry.local, entry.remote, null), Admission.PREFERRED);
        }
    }

    private ObservedSocket observe(NioSocket socket) {
        ObservedSocket entry = this.observed.get(socket);
        return (entry != null) ? entry : this.observed.computeIfAbsent(socket, ObservedSocket::new);
    }

    /**
     * Every message becomes an application event: connections that a server accepts read from the start.
     * @return {@code true}
     */
    @Override
    public boolean observesMessages() {
        return true;
    }

    @Override
    public void membershipChanged(NioSocket socket, NetAddress group, boolean joined) {
        // A lifecycle event kept in preference to messages; it tells where the socket receives, as 'listening'
        // does, and its drops count with that type's.
        QueuedEvent.Membership change = new QueuedEvent.Membership(group, joined,
                ((NioMulticastSocket) socket).groups());
        this.dispatcher.offer(new QueuedEvent(observe(socket), SocketEventType.LISTENING, socket.localAddress(), null,
                change), Admission.PREFERRED);
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
        long total = 0;
        for (SocketEventType<?> type : SocketEventType.values()) {
            total += this.dispatcher.dropped(type);
        }
        return total;
    }

    /**
     * Returns how many events of one type were dropped because listeners fell behind, or arrived after stop.
     * @param type the event type
     * @return the total
     */
    public long droppedEvents(SocketEventType<?> type) {
        return this.dispatcher.dropped(type);
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
        // Nothing will take their events any more: a stream must not stay held back by a publisher that is gone.
        this.suspended.resumeAll();
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

}
