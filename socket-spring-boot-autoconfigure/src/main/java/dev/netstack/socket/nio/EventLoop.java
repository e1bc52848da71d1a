package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.netstack.socket.nio.tls.TlsScratch;

/**
 * One I/O thread that owns one {@link Selector}, a multi-producer task queue and a timer queue.
 *
 * <p>Every channel registered here is touched only by this thread, so socket state needs no locks. Each turn:
 * select (or {@code selectNow} when tasks wait; otherwise block until the next timer is due), handle the ready keys,
 * fire due timers, then run queued tasks up to a budget so that I/O is never starved by a flood of tasks.
 *
 * <p>The loop survives what callbacks do to its thread: a throw is logged, and an interrupt is cleared at the next
 * turn, logged once and counted (while the flag is set, select returns at once and the loop would spin).
 */
public final class EventLoop implements Executor {

    private static final System.Logger logger = Loggers.of(EventLoop.class);

    /** Tasks run per turn before the loop selects again, so a producer cannot starve the channels. */
    private static final int TASK_BUDGET = 4096;

    /** The largest datagram or read handled in one call: the IP maximum, so no datagram is truncated. */
    static final int READ_BUFFER_SIZE = 65536;

    private static final int RUNNING = 0;

    private static final int SHUTTING_DOWN = 1;

    private static final int TERMINATED = 2;

    private final Thread thread;

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    /**
     * Tasks the loop queued for itself while {@link #tasks} was empty (a send from a 'message' callback): they cost
     * no atomic operation, and whatever {@link #tasks} holds was offered after them, so running them first keeps
     * the order in which the tasks were offered.
     */
    private final ArrayDeque<Runnable> ownTasks = new ArrayDeque<>();

    /** Stream writers to flush once the tasks of this turn have run. */
    private final ArrayDeque<StreamWriter> writersToFlush = new ArrayDeque<>();

    /**
     * {@code true} while the loop is awake or a wake-up is already on its way. Producers wake the selector only when
     * they win the false-to-true race, so a burst of tasks costs one {@code wakeup()} system call, not one each.
     */
    private final AtomicBoolean awake = new AtomicBoolean(true);

    private final TimerQueue timers = new TimerQueue();

    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

    /** The slots of one gathering TCP write, shared by the loop's connections: a write fills and empties them. */
    private final ByteBuffer[] gatherBuffers = new ByteBuffer[TcpOutboundBuffer.MAX_BUFFERS_PER_WRITE];

    /** The working buffers of this loop's TLS engines; they hold nothing until a TLS socket uses them. */
    private final TlsScratch tlsScratch = new TlsScratch();

    private final Consumer<SelectionKey> keyHandler = this::handleKey;

    /** Loop only: steps of {@link #afterChannelsReleased} queued inside a select, run after the next selectNow. */
    private final List<Runnable> releaseSteps = new ArrayList<>();

    /** Takes ready keys without handling them: readiness is level-triggered, so the next select reports them again. */
    private static final Consumer<SelectionKey> IGNORE_KEY = key -> {
    };

    /** The probe queued and not yet run: however often health is checked, a stuck loop holds one probe task. */
    private final AtomicReference<CompletableFuture<Long>> pendingProbe = new AtomicReference<>();

    private final SocketStats stats;

    private volatile Selector selector;

    private volatile int state = RUNNING;

    /** Loop only: whether an interrupt of this thread has been logged; later ones are only counted. */
    private boolean interruptLogged;

    /** Loop only: {@code true} while the selector runs, and so while it calls the handlers of ready keys. */
    private boolean selecting;

    /** Loop only: set by {@link #failNextSelect()}, so that tests can make a select fail as a broken selector does. */
    private boolean failNextSelect;

    /** How many times the selector was replaced after a failure; written on the loop, read by tests. */
    private volatile int selectorRebuilds;

    EventLoop(String threadName, SocketStats stats) throws IOException {
        this.stats = stats;
        this.selector = Selector.open();
        this.thread = new Thread(this::run, threadName);
        // Non-daemon on purpose: an application whose only work is a socket keeps running until it closes it.
        this.thread.setDaemon(false);
    }

    void start() {
        this.thread.start();
    }

    /**
     * Tells whether the caller runs on this loop's thread.
     * @return {@code true} on the loop thread
     */
    public boolean inEventLoop() {
        return Thread.currentThread() == this.thread;
    }

    /**
     * Runs a task on the loop, after the tasks already queued.
     * @param task the task
     * @throws RejectedExecutionException when the loop has stopped
     */
    @Override
    public void execute(Runnable task) {
        if (!tryExecute(task)) {
            throw new RejectedExecutionException("event loop " + this.thread.getName() + " has stopped");
        }
    }

    /**
     * Runs a task on the loop, after the tasks already queued, unless the loop has stopped.
     * @param task the task
     * @return {@code false} when the loop has stopped and the task will never run
     */
    boolean tryExecute(Runnable task) {
        if (this.state == TERMINATED) {
            return false;
        }
        if (inEventLoop()) {
            // Only this thread terminates the loop, and it has not: the task will run.
            if (this.tasks.isEmpty()) {
                this.ownTasks.add(task);
            }
            else {
                this.tasks.offer(task);
            }
            return true;
        }
        this.tasks.offer(task);
        // The loop drains the queue once more after it terminates; if it terminated after our check above, either
        // that drain sees the task or we take it back here: the task runs exactly once or is reported as rejected.
        if (this.state == TERMINATED && this.tasks.remove(task)) {
            return false;
        }
        if (this.awake.compareAndSet(false, true)) {
            this.selector.wakeup();
        }
        return true;
    }

    /**
     * Runs a task once after a delay. Call on the loop only.
     * @param delay the delay
     * @param unit its unit
     * @param task the task
     * @return the timer, to cancel it
     */
    LoopTimer schedule(long delay, TimeUnit unit, Runnable task) {
        return this.timers.schedule(System.nanoTime() + unit.toNanos(delay), task);
    }

    /**
     * Cancels a timer, in O(1) amortised. Call on the loop only.
     * @param timer the timer, may be {@code null}
     */
    void cancel(LoopTimer timer) {
        this.timers.cancel(timer);
    }

    /**
     * Registers a channel with this loop's selector. Call on the loop only.
     * @param channel a non-blocking channel
     * @param ops the interest set
     * @param handler the handler of its readiness
     * @return the key
     * @throws ClosedChannelException when the channel is closed
     */
    SelectionKey register(SelectableChannel channel, int ops, ChannelHandler handler) throws ClosedChannelException {
        return channel.register(this.selector, ops, handler);
    }

    /**
     * Runs a step once the channels closed on this loop have really released their sockets. The JDK closes the socket
     * of a channel that was registered with a selector only when that selector drops the cancelled key, on its next
     * select; until then a UDP port stays taken. So a {@code close()} that reported success at once would let an
     * immediate re-bind of the same port fail with "address in use". Call on the loop only.
     * @param step what to do afterwards, e.g. report the close
     */
    void afterChannelsReleased(Runnable step) {
        if (this.selecting) {
            // Called from a key's handler, inside select: the selector cannot select again before it returns. The
            // steps of one select wait together, so that a thousand peers closing at once cost one selectNow.
            if (this.releaseSteps.isEmpty() && !tryExecute(this::runReleaseSteps)) {
                step.run();
                return;
            }
            this.releaseSteps.add(step);
            return;
        }
        dropCancelledKeys();
        step.run();
    }

    /** Loop only: runs the steps that handlers queued inside a select, after one selectNow for all of them. */
    private void runReleaseSteps() {
        dropCancelledKeys();
        List<Runnable> steps = new ArrayList<>(this.releaseSteps);
        this.releaseSteps.clear();
        for (Runnable step : steps) {
            safeRun(step);
        }
    }

    private void dropCancelledKeys() {
        Selector current = this.selector;
        if (current.isOpen()) {
            try {
                current.selectNow(IGNORE_KEY);
            }
            catch (IOException | ClosedSelectorException ex) {
                logger.log(Level.DEBUG, "Dropping cancelled keys of " + name() + " failed", ex);
            }
        }
    }

    /**
     * Returns the buffer that reads on this loop share. Use it within one call only, never across turns.
     * @return the cleared buffer
     */
    ByteBuffer readBuffer() {
        return this.readBuffer.clear();
    }

    /**
     * Loop only: the TLS working buffers that this loop's engines share.
     * @return the scratch buffers
     */
    TlsScratch tlsScratch() {
        return this.tlsScratch;
    }

    /**
     * Loop only: the slots for one gathering write, empty between writes.
     * @return the loop's array
     */
    ByteBuffer[] gatherBuffers() {
        return this.gatherBuffers;
    }

    /**
     * Runs a probe task and completes with the nanoseconds it waited in the queue. While a probe is queued and has
     * not run, every call returns that probe's future instead of queueing another, so that a stuck loop never
     * collects one task per health check. Do not complete the future: other callers may wait for it too.
     * @return completes on the loop; fails when the loop has stopped
     */
    public CompletableFuture<Long> probe() {
        while (true) {
            CompletableFuture<Long> pending = this.pendingProbe.get();
            if (pending != null) {
                return pending;
            }
            CompletableFuture<Long> probe = new CompletableFuture<>();
            // The winner of this race queues the probe; a loser takes the winner's on its next pass.
            if (this.pendingProbe.compareAndSet(null, probe)) {
                long queuedAt = System.nanoTime();
                if (!tryExecute(() -> ranProbe(probe, queuedAt))) {
                    this.pendingProbe.compareAndSet(probe, null);
                    probe.completeExceptionally(new RejectedExecutionException("event loop has stopped"));
                }
                return probe;
            }
        }
    }

    private void ranProbe(CompletableFuture<Long> probe, long queuedAt) {
        // Cleared before completing: a check that the completion wakes queues a fresh probe, never this old one.
        this.pendingProbe.compareAndSet(probe, null);
        probe.complete(System.nanoTime() - queuedAt);
    }

    /**
     * Tells whether the loop thread runs and has not been asked to stop.
     * @return whether the loop serves its channels
     */
    public boolean isAlive() {
        return this.state == RUNNING && this.thread.isAlive();
    }

    /**
     * Returns the name of the loop's thread.
     * @return e.g. {@code socket-io-1}
     */
    public String name() {
        return this.thread.getName();
    }

    /**
     * Makes the loop's next select throw an {@link IOException} once, as a broken selector does, so that tests can
     * prove the loop rebuilds its selector and its channels go on. Package-private: a seam for tests only.
     */
    void failNextSelect() {
        execute(() -> this.failNextSelect = true);
    }

    /**
     * Returns how many times the loop replaced its selector after a failure.
     * @return the count
     */
    int selectorRebuilds() {
        return this.selectorRebuilds;
    }

    void shutdown() {
        if (this.state == RUNNING) {
            this.state = SHUTTING_DOWN;
            this.selector.wakeup();
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        // Join rather than wait for the end of the loop's work: whoever closes a factory may count its threads.
        unit.timedJoin(this.thread, timeout);
        return !this.thread.isAlive();
    }

    private void run() {
        try {
            while (this.state == RUNNING) {
                turn();
            }
        }
        finally {
            stopChannels();
            this.state = TERMINATED;
            runTasks(Integer.MAX_VALUE);
        }
    }

    private void turn() {
        try {
            select();
            runTimers();
            runTasks(TASK_BUDGET);
        }
        catch (IOException ex) {
            logger.log(Level.WARNING, "Selector of " + name() + " failed; rebuilding it", ex);
            rebuildSelector();
        }
        catch (Throwable ex) {
            logger.log(Level.ERROR, "Unexpected failure in " + name() + "; the loop goes on", ex);
            // A short pause so that a failure which repeats every turn does not burn a core.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private void select() throws IOException {
        if (Thread.interrupted()) {
            interrupted();
        }
        this.selecting = true;
        try {
            selectOnce();
        }
        finally {
            this.selecting = false;
        }
    }

    private void selectOnce() throws IOException {
        if (this.failNextSelect) {
            this.failNextSelect = false;
            throw new IOException("select failed on purpose (failNextSelect)");
        }
        this.awake.set(false);
        // Set "asleep" before looking at the queue: a task offered after this look wins the race and wakes us.
        if (!this.tasks.isEmpty() || !this.ownTasks.isEmpty() || this.state != RUNNING) {
            this.selector.selectNow(this.keyHandler);
        }
        else {
            LoopTimer next = this.timers.next();
            if (next == null) {
                this.selector.select(this.keyHandler);
            }
            else {
                long waitNanos = next.deadlineNanos() - System.nanoTime();
                if (waitNanos <= 0) {
                    this.selector.selectNow(this.keyHandler);
                }
                else {
                    // select(action, 0) would block for ever: round up to at least one millisecond.
                    this.selector.select(this.keyHandler, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
                }
            }
        }
        // No fence needed here: a producer that still sees false only makes a wake-up that costs one spare turn.
        this.awake.lazySet(true);
    }

    private void handleKey(SelectionKey key) {
        try {
            if (key.isValid()) {
                ((ChannelHandler) key.attachment()).handleReady(key, key.readyOps());
            }
        }
        catch (Throwable ex) {
            logger.log(Level.ERROR, "Handler of " + key.channel() + " failed; the loop goes on", ex);
        }
    }

    /**
     * A callback or task interrupted this thread; the flag is cleared already. The interrupt means nothing to the
     * loop, which stops only through {@link #shutdown()}; the first is logged so that the culprit can be found.
     */
    private void interrupted() {
        this.stats.loopInterrupted();
        if (!this.interruptLogged) {
            this.interruptLogged = true;
            logger.log(Level.WARNING, "A callback or task interrupted event loop thread " + name()
                    + "; the loop cleared the interrupt and goes on (logged once per loop, counted in"
                    + " socket.loop.interrupts)");
        }
    }

    private void runTimers() {
        if (this.timers.next() == null) {
            // Most turns: no clock read.
            return;
        }
        long now = System.nanoTime();
        Runnable task;
        while ((task = this.timers.pollDue(now)) != null) {
            safeRun(task);
        }
    }

    private void runTasks(int budget) {
        for (int i = 0; i < budget; i++) {
            Runnable task = this.ownTasks.poll();
            if (task == null && (task = this.tasks.poll()) == null) {
                break;
            }
            safeRun(task);
        }
        flushWriters();
    }

    /**
     * Flushes a stream writer once the tasks of this turn have run: the sends among them go out together, in one
     * gathering write per socket. Call on the loop only; the writer asks once per flush.
     * @param writer the writer whose queue was empty when a send came
     */
    void flushAfterTasks(StreamWriter writer) {
        this.writersToFlush.add(writer);
    }

    private void flushWriters() {
        StreamWriter writer;
        // Tasks that the completions of these writes queue run in the next turn, after a look at the channels.
        while ((writer = this.writersToFlush.poll()) != null) {
            try {
                writer.flushAfterTasks();
            }
            catch (Throwable ex) {
                logger.log(Level.ERROR, "Flush on " + name() + " failed; the loop goes on", ex);
            }
        }
    }

    private void safeRun(Runnable task) {
        try {
            task.run();
        }
        catch (Throwable ex) {
            logger.log(Level.ERROR, "Task on " + name() + " failed; the loop goes on", ex);
        }
    }

    private void rebuildSelector() {
        Selector old = this.selector;
        Selector rebuilt;
        try {
            rebuilt = Selector.open();
        }
        catch (IOException ex) {
            logger.log(Level.ERROR, "Cannot open a new selector for " + name(), ex);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return;
        }
        // A copy: a handler that gives up below closes its channel, and that may change the key set under iteration.
        for (SelectionKey key : new ArrayList<>(old.keys())) {
            if (!key.isValid()) {
                continue;
            }
            ChannelHandler handler = (ChannelHandler) key.attachment();
            try {
                int ops = key.interestOps();
                key.cancel();
                handler.keyChanged(key.channel().register(rebuilt, ops, handler));
            }
            catch (IOException | RuntimeException ex) {
                logger.log(Level.WARNING, "Cannot move " + key.channel() + " to the new selector", ex);
                handler.loopStopped();
            }
        }
        this.selector = rebuilt;
        this.selectorRebuilds++;
        try {
            old.close();
        }
        catch (IOException ex) {
            logger.log(Level.DEBUG, "Closing the old selector of " + name() + " failed", ex);
        }
    }

    private void stopChannels() {
        Selector current = this.selector;
        List<ChannelHandler> handlers = new ArrayList<>();
        for (SelectionKey key : current.keys()) {
            if (key.attachment() instanceof ChannelHandler handler) {
                handlers.add(handler);
            }
        }
        for (ChannelHandler handler : handlers) {
            try {
                handler.loopStopped();
            }
            catch (Throwable ex) {
                logger.log(Level.WARNING, "Closing a channel of " + name() + " failed", ex);
            }
        }
        try {
            current.close();
        }
        catch (IOException ex) {
            logger.log(Level.DEBUG, "Closing the selector of " + name() + " failed", ex);
        }
    }

}
