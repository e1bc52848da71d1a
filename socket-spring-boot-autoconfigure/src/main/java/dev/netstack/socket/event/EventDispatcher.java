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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands socket events from the event loops to one dispatch thread, through a bounded queue.
 *
 * <p>The loops never block here and never wait for a listener: {@link #offer} is a lock-free enqueue. One thread
 * delivers the events in the order they were offered, so the events of each socket (always offered by its one loop)
 * keep their order. Message and error events count against a budget of events and payload bytes, from when they are
 * queued until shortly after their delivery (the budget is given back in small batches); past it they are dropped
 * and counted. Listening, connect and close events always pass: there are at most a few per socket, and a
 * listener must be able to rely on them.
 */
final class EventDispatcher {

    private static final Log logger = LogFactory.getLog(EventDispatcher.class);

    /**
     * The budget packs two counts into one {@code long}, so that a loop pays one atomic add per event: queued events
     * in the bits from {@value #COUNT_SHIFT} up, queued payload bytes below. Payload bytes stay far below 2^40.
     */
    private static final int COUNT_SHIFT = 40;

    private static final long ONE_EVENT = 1L << COUNT_SHIFT;

    private static final long BYTES_MASK = ONE_EVENT - 1;

    /** Delivered events whose budget the dispatch thread gives back at once (and whenever the queue runs empty). */
    private static final int RELEASE_BATCH = 32;

    private static final int NEW = 0;

    private static final int RUNNING = 1;

    private static final int STOPPING = 2;

    private static final int STOPPED = 3;

    private final String threadName;

    private final Consumer<SocketEvent> delivery;

    private final int maxEvents;

    private final long maxBytes;

    private final Queue<SocketEvent> queue = new ConcurrentLinkedQueue<>();

    private final AtomicLong budget = new AtomicLong();

    /** {@code true} while the dispatch thread is about to park or parked: only then does a producer unpark it. */
    private final AtomicBoolean waiting = new AtomicBoolean();

    private final LongAdder dropped = new LongAdder();

    private final LongAdder failures = new LongAdder();

    private volatile int state = NEW;

    private volatile Thread thread;

    /**
     * Creates a dispatcher; events offered before {@link #start()} wait in the queue.
     * @param threadName the name of the dispatch thread
     * @param delivery what to do with each event, on the dispatch thread
     * @param maxEvents the most message and error events queued at once, 1 to 2^20
     * @param maxBytes the most message payload bytes queued at once, 1 to 2^36
     */
    EventDispatcher(String threadName, Consumer<SocketEvent> delivery, int maxEvents, long maxBytes) {
        // Bounds that keep both halves of the budget apart, with room for what concurrent offers add before undoing.
        if (maxEvents < 1 || maxEvents > (1 << 20)) {
            throw new IllegalArgumentException("maxEvents " + maxEvents + " is out of range 1.." + (1 << 20));
        }
        if (maxBytes < 1 || maxBytes > (1L << 36)) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " is out of range 1.." + (1L << 36));
        }
        this.threadName = threadName;
        this.delivery = delivery;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues an event for delivery, or drops and counts it when the queue is over budget or stopped. Never blocks.
     * @param event the event
     */
    void offer(SocketEvent event) {
        if (enqueue(event)) {
            signal();
        }
    }

    /**
     * Queues an event like {@link #offer}, but leaves waking the dispatch thread to a later {@link #signal()}: a
     * producer that offers a batch of events then pays at most one wake-up for all of them. The caller must call
     * {@code signal()} after the batch, or the event waits until the next signal.
     * @param event the event
     */
    void offerDeferred(SocketEvent event) {
        enqueue(event);
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
    private boolean enqueue(SocketEvent event) {
        if (this.state >= STOPPING) {
            this.dropped.increment();
            return false;
        }
        long cost = cost(event);
        if (cost != 0) {
            long queued = this.budget.addAndGet(cost);
            if ((queued >>> COUNT_SHIFT) > this.maxEvents || (queued & BYTES_MASK) > this.maxBytes) {
                this.budget.addAndGet(-cost);
                this.dropped.increment();
                return false;
            }
        }
        this.queue.offer(event);
        return true;
    }

    private static long cost(SocketEvent event) {
        if (event instanceof SocketMessageEvent message) {
            return ONE_EVENT + message.getMessage().size();
        }
        return (event instanceof SocketErrorEvent) ? ONE_EVENT : 0;
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
     * Returns how many events were dropped because listeners fell behind or the dispatcher was stopped.
     * @return the total
     */
    long dropped() {
        return this.dropped.sum();
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
            SocketEvent event = this.queue.poll();
            if (event != null) {
                delivered += cost(event);
                if (++batch == RELEASE_BATCH) {
                    this.budget.addAndGet(-delivered);
                    delivered = 0;
                    batch = 0;
                }
                deliver(event);
                continue;
            }
            this.budget.addAndGet(-delivered);
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
        this.budget.addAndGet(-delivered);
    }

    private void deliver(SocketEvent event) {
        try {
            this.delivery.accept(event);
        }
        catch (Throwable ex) {
            this.failures.increment();
            logger.warn("A listener of " + event + " threw; delivery goes on", ex);
        }
    }

    private void discardQueued() {
        SocketEvent event;
        while ((event = this.queue.poll()) != null) {
            long cost = cost(event);
            if (cost != 0) {
                this.budget.addAndGet(-cost);
            }
            this.dropped.increment();
        }
    }

}
