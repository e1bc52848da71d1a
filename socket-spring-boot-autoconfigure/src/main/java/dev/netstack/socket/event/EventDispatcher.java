package dev.netstack.socket.event;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.netstack.socket.SocketEventType;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands socket events from the event loops to one dispatch thread, through a bounded queue.
 *
 * <p>The loops never block here and never wait for a listener: {@link #offer} is a lock-free enqueue. One thread
 * delivers the events in the order they were offered, so the events of each socket (always offered by its one loop)
 * keep their order. Every event counts against one budget of events and bytes (its payload plus
 * {@value #EVENT_OVERHEAD} for the objects that carry it), from when it is queued until shortly after its delivery
 * (the budget is given back in small batches). How far an event may fill it depends on its {@link Admission}; what
 * does not fit is dropped and counted per event type.
 */
final class EventDispatcher {

    private static final Log logger = LogFactory.getLog(EventDispatcher.class);

    /**
     * The budget packs two counts into one {@code long}, so that a loop pays one atomic add per event: queued events
     * in the bits from {@value #COUNT_SHIFT} up, queued bytes below. Bytes stay far below 2^40: at most twice
     * {@code maxBytes}, plus one read per stream socket (a stream stops reading once the queue is full).
     */
    private static final int COUNT_SHIFT = 40;

    private static final long ONE_EVENT = 1L << COUNT_SHIFT;

    private static final long BYTES_MASK = ONE_EVENT - 1;

    /** What an event costs besides its payload: the queued entry, its queue node, the event built from it. */
    static final int EVENT_OVERHEAD = 128;

    /** Delivered events whose budget the dispatch thread gives back at once (and whenever the queue runs empty). */
    private static final int RELEASE_BATCH = 32;

    private static final int NEW = 0;

    private static final int RUNNING = 1;

    private static final int STOPPING = 2;

    private static final int STOPPED = 3;

    private final String threadName;

    private final Consumer<SocketEvent> delivery;

    private final Runnable drained;

    private final long maxEvents;

    private final long maxBytes;

    private final Queue<QueuedEvent> queue = new ConcurrentLinkedQueue<>();

    private final AtomicLong budget = new AtomicLong();

    /** {@code true} while the dispatch thread is about to park or parked: only then does a producer unpark it. */
    private final AtomicBoolean waiting = new AtomicBoolean();

    /** Dropped events by {@link SocketEventType#ordinal()}. */
    private final LongAdder[] dropped = new LongAdder[SocketEventType.values().size()];

    private final LongAdder failures = new LongAdder();

    private volatile int state = NEW;

    private volatile Thread thread;

    /**
     * Creates a dispatcher; events offered before {@link #start()} wait in the queue.
     * @param threadName the name of the dispatch thread
     * @param delivery what to do with each event, on the dispatch thread
     * @param maxEvents the most events queued at once, 1 to {@link SocketEventPublisher#LIMIT_MAX_EVENTS}
     * @param maxBytes the most bytes queued at once, 1 to {@link SocketEventPublisher#LIMIT_MAX_BYTES}
     * @param drained called on the dispatch thread whenever giving back budget leaves the queue {@link #isDrained()}
     */
    EventDispatcher(String threadName, Consumer<SocketEvent> delivery, int maxEvents, long maxBytes,
            Runnable drained) {
        // Bounds that keep both halves of the budget apart, with room for what concurrent offers add before undoing.
        if (maxEvents < 1 || maxEvents > SocketEventPublisher.LIMIT_MAX_EVENTS) {
            throw new IllegalArgumentException(
                    "maxEvents " + maxEvents + " is out of range 1.." + SocketEventPublisher.LIMIT_MAX_EVENTS);
        }
        if (maxBytes < 1 || maxBytes > SocketEventPublisher.LIMIT_MAX_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes " + maxBytes + " is out of range 1.." + SocketEventPublisher.LIMIT_MAX_BYTES);
        }
        this.threadName = threadName;
        this.delivery = delivery;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.drained = drained;
        for (int i = 0; i < this.dropped.length; i++) {
            this.dropped[i] = new LongAdder();
        }
    }

    /**
     * Queues an event for delivery, or drops and counts it when it does not fit or the dispatcher has stopped.
     * Never blocks.
     * @param event the event
     * @param admission how far it may fill the queue
     */
    void offer(QueuedEvent event, Admission admission) {
        if (enqueue(event, admission)) {
            signal();
        }
    }

    /**
     * Queues an event like {@link #offer}, but leaves waking the dispatch thread to a later {@link #signal()}: a
     * producer that offers a batch of events then pays at most one wake-up for all of them. The caller must call
     * {@code signal()} after the batch, or the event waits until the next signal.
     * @param event the event
     * @param admission how far it may fill the queue
     * @return whether it was queued
     */
    boolean offerDeferred(QueuedEvent event, Admission admission) {
        return enqueue(event, admission);
    }

    /**
     * Tells whether the queue is at its bounds: a stream whose message was just queued must stop reading.
     * @return whether the queued events or bytes reached their bound
     */
    boolean isFull() {
        long queued = this.budget.get();
        return (queued >>> COUNT_SHIFT) >= this.maxEvents || (queued & BYTES_MASK) >= this.maxBytes;
    }

    /**
     * Tells whether the queue has drained to its low-water mark, half its bounds, or the dispatcher has stopped:
     * suspended streams may read again.
     * @return whether streams may read
     */
    boolean isDrained() {
        return this.state == STOPPED || isDrained(this.budget.get());
    }

    private boolean isDrained(long queued) {
        return (queued >>> COUNT_SHIFT) <= this.maxEvents / 2 && (queued & BYTES_MASK) <= this.maxBytes / 2;
    }

    /**
     * Wakes the dispatch thread if it waits. Cheap when it is busy: one volatile read.
     */
    void signal() {
        // Unpark only when the thread is (about to be) parked, and only the producer that wins the flag: a busy
        // dispatcher costs producers one volatile read, not a system call per event.
        if (this.waiting.get() && this.waiting.compareAndSet(true, false)) {
            LockSupport.unpark(this.thread);
        }
    }

    /** Queues an event, or drops and counts it; returns whether it was queued. */
    private boolean enqueue(QueuedEvent event, Admission admission) {
        if (this.state >= STOPPING) {
            drop(event);
            return false;
        }
        long cost = cost(event);
        long queued = this.budget.addAndGet(cost);
        if (admission != Admission.ALWAYS) {
            long bound = (admission == Admission.PREFERRED) ? 2 : 1;
            if ((queued >>> COUNT_SHIFT) > bound * this.maxEvents || (queued & BYTES_MASK) > bound * this.maxBytes) {
                this.budget.addAndGet(-cost);
                drop(event);
                return false;
            }
        }
        this.queue.offer(event);
        return true;
    }

    private void drop(QueuedEvent event) {
        this.dropped[event.type().ordinal()].increment();
    }

    private static long cost(QueuedEvent event) {
        return ONE_EVENT + EVENT_OVERHEAD + event.payloadBytes();
    }

    /**
     * Starts the dispatch thread; events queued so far are delivered first. Does nothing when running.
     */
    synchronized void start() {
        if (this.state == RUNNING) {
            return;
        }
        Thread dispatch = new Thread(this::run, this.threadName);
        // Daemon: a listener that never returns must not keep the JVM alive after the context has closed.
        dispatch.setDaemon(true);
        this.thread = dispatch;
        this.state = RUNNING;
        dispatch.start();
    }

    /**
     * Delivers the events already queued, for up to {@code timeout}, then stops the thread. Events that could not
     * be delivered in time, and events offered from now on, are dropped and counted.
     * @param timeout how long to wait for listeners
     * @return whether every queued event was delivered
     */
    synchronized boolean stop(Duration timeout) {
        Thread dispatch = this.thread;
        if (this.state != RUNNING || dispatch == null) {
            discardQueued();
            this.state = STOPPED;
            return this.queue.isEmpty();
        }
        this.state = STOPPING;
        LockSupport.unpark(dispatch);
        boolean drained = true;
        if (dispatch != Thread.currentThread()) {
            // A listener that closes the context runs on this thread: it cannot wait for itself.
            try {
                dispatch.join(Math.max(1, timeout.toMillis()));
                if (dispatch.isAlive()) {
                    drained = false;
                    logger.warn("Socket event listeners did not finish within " + timeout + "; "
                            + this.queue.size() + " queued events are dropped");
                    dispatch.interrupt();
                    dispatch.join(TimeUnit.SECONDS.toMillis(1));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                drained = false;
            }
        }
        this.state = STOPPED;
        this.thread = null;
        discardQueued();
        return drained;
    }

    /**
     * Tells whether the dispatch thread runs.
     * @return whether events are being delivered
     */
    boolean isRunning() {
        return this.state == RUNNING;
    }

    /**
     * Returns how many events of a type were dropped because listeners fell behind or the dispatcher was stopped.
     * @param type the event type
     * @return the total
     */
    long dropped(SocketEventType<?> type) {
        return this.dropped[type.ordinal()].sum();
    }

    /**
     * Returns how many deliveries threw.
     * @return the total
     */
    long failures() {
        return this.failures.sum();
    }

    private void run() {
        Thread self = Thread.currentThread();
        // Budget taken by delivered events, given back in batches: one contended atomic per batch rather than one
        // per event, so that the loops' adds rarely miss the cache. Until then it counts as queued.
        long delivered = 0;
        int batch = 0;
        // Ends when drained after stop(), or when stop() gave up waiting (interrupt, or another thread took over).
        while (this.thread == self && !self.isInterrupted()) {
            QueuedEvent event = this.queue.poll();
            if (event != null) {
                delivered += cost(event);
                if (++batch == RELEASE_BATCH) {
                    release(delivered);
                    delivered = 0;
                    batch = 0;
                }
                deliver(event);
                continue;
            }
            release(delivered);
            delivered = 0;
            batch = 0;
            if (this.state != RUNNING) {
                // Stopping and drained.
                return;
            }
            this.waiting.set(true);
            // Look again after raising the flag: an event offered before it was raised is seen here, one offered
            // after it unparks us.
            if (this.queue.isEmpty() && this.state == RUNNING) {
                LockSupport.park(this);
            }
            this.waiting.set(false);
        }
        release(delivered);
    }

    private void release(long cost) {
        if (isDrained(this.budget.addAndGet(-cost))) {
            this.drained.run();
        }
    }

    private void deliver(QueuedEvent queued) {
        SocketEvent event = queued.toEvent();
        try {
            this.delivery.accept(event);
        }
        catch (Throwable ex) {
            this.failures.increment();
            logger.warn("A listener of " + event + " threw; delivery goes on", ex);
        }
    }

    private void discardQueued() {
        QueuedEvent event;
        while ((event = this.queue.poll()) != null) {
            this.budget.addAndGet(-cost(event));
            drop(event);
        }
    }

    /**
     * How far an event may fill the queue.
     */
    enum Admission {

        /** Up to the bounds: UDP messages and errors, which listeners can afford to lose under load. */
        BOUNDED,

        /** Up to twice the bounds: listening, connect and close events, a few per socket, kept before messages. */
        PREFERRED,

        /** Always: a stream's messages, as a hole would corrupt the stream. The producer stops reading instead. */
        ALWAYS

    }

}
