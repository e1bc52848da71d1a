package dev.netstack.socket.nio;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.NetAddress;

/**
 * Keeps one socket's operations in call order across host-name look-ups. A look-up runs off the loop, so the
 * operation that needs it would otherwise be overtaken by the calls made after it. While a look-up of the socket is
 * pending, every later operation waits here behind it, and the socket's look-ups run one at a time, in call order.
 * When nothing waits, which is always for a socket that uses IP literals only, an operation goes straight to the loop.
 */
final class CallOrder {

    private final EventLoop loop;

    private final HostResolver resolver;

    /** Guarded by {@code this}: the operations in call order, a pending look-up first; {@code null} until needed. */
    private ArrayDeque<Step> waiting;

    /**
     * Whether operations must wait here. Written under the lock, read without it on the fast path: a caller that
     * started a look-up sees its own write, so its next call waits; other threads' calls have no order to keep.
     */
    private volatile boolean queueing;

    CallOrder(EventLoop loop, HostResolver resolver) {
        this.loop = loop;
        this.resolver = resolver;
    }

    /**
     * Tells whether no look-up of the socket is pending, so that an operation may go straight to the loop.
     * @return {@code true} when nothing waits
     */
    boolean idle() {
        return !this.queueing;
    }

    /**
     * Runs a task on the loop after every earlier operation of the socket.
     * @param task the task
     * @param onRejected runs instead, on the calling thread, when the loop has stopped
     */
    void execute(Runnable task, Runnable onRejected) {
        if (this.queueing) {
            synchronized (this) {
                // Checked again under the lock: the look-up may have ended and the queue drained meanwhile.
                if (this.queueing) {
                    this.waiting.add(new Step(task, onRejected));
                    return;
                }
            }
        }
        if (!this.loop.tryExecute(task)) {
            onRejected.run();
        }
    }

    /**
     * Looks a host name up after the socket's earlier look-ups, then runs the step on the loop, in call order.
     * @param address a checked address whose text is a host name
     * @param then what to do with the address, on the loop
     * @param failed receives the look-up's failure, on the loop
     * @param onRejected runs instead when the loop has stopped
     */
    void lookUpThen(NetAddress address, Consumer<InetSocketAddress> then, Consumer<BusinessError> failed,
            Runnable onRejected) {
        Step step = new Step(address, then, failed, onRejected);
        synchronized (this) {
            if (this.waiting == null) {
                this.waiting = new ArrayDeque<>();
            }
            this.waiting.add(step);
            if (this.queueing) {
                // An earlier look-up is pending: this one starts when everything before it has moved on.
                return;
            }
            this.queueing = true;
        }
        advance();
    }

    /**
     * Hands the operations at the head of the queue to the loop, in order, up to the first look-up not yet ended,
     * and starts that look-up. Runs on the thread that made progress possible: a caller, or the one that ended a
     * look-up.
     */
    private void advance() {
        while (true) {
            Step lookUp = null;
            List<Runnable> rejected = null;
            synchronized (this) {
                Step head;
                // Handed over under the lock, so that a caller's execute() cannot slip in between them.
                while ((head = this.waiting.peek()) != null && head.task != null) {
                    this.waiting.poll();
                    if (!this.loop.tryExecute(head.task)) {
                        rejected = (rejected != null) ? rejected : new ArrayList<>();
                        rejected.add(head.onRejected);
                    }
                }
                if (head == null) {
                    this.queueing = false;
                }
                else if (!head.started) {
                    head.started = true;
                    lookUp = head;
                }
            }
            if (rejected != null) {
                rejected.forEach(Runnable::run);
            }
            if (lookUp == null) {
                // Nothing left, or a look-up is pending: its end calls advance() again.
                return;
            }
            Step started = lookUp;
            CompletableFuture<InetSocketAddress> resolved = this.resolver.resolve(started.address);
            if (!resolved.isDone()) {
                resolved.whenComplete((address, error) -> {
                    settle(started, address, error);
                    advance();
                });
                return;
            }
            // Ended at once (refused, or the factory closed): go round again here rather than recursing, which a
            // long queue of look-ups would turn into a deep stack.
            try {
                settle(started, resolved.join(), null);
            }
            catch (CompletionException ex) {
                settle(started, null, ex);
            }
        }
    }

    private synchronized void settle(Step step, InetSocketAddress address, Throwable error) {
        if (error == null) {
            step.task = () -> step.then.accept(address);
        }
        else {
            BusinessError failure = asBusinessError(error);
            step.task = () -> step.failed.accept(failure);
        }
    }

    private static BusinessError asBusinessError(Throwable error) {
        Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
        return (cause instanceof BusinessError business) ? business
                : new BusinessError(BusinessError.INTERNAL_ERROR, String.valueOf(cause.getMessage()), cause);
    }

    /** An operation in the queue: ready when it has a task, else a look-up that gets its task when it ends. */
    private static final class Step {

        private final NetAddress address;

        private final Consumer<InetSocketAddress> then;

        private final Consumer<BusinessError> failed;

        private final Runnable onRejected;

        /** Guarded by the {@link CallOrder}'s lock, as is {@link #started}. */
        private Runnable task;

        private boolean started;

        Step(Runnable task, Runnable onRejected) {
            this(null, null, null, onRejected);
            this.task = task;
        }

        Step(NetAddress address, Consumer<InetSocketAddress> then, Consumer<BusinessError> failed,
                Runnable onRejected) {
            this.address = address;
            this.then = then;
            this.failed = failed;
            this.onRejected = onRejected;
        }

    }

}
