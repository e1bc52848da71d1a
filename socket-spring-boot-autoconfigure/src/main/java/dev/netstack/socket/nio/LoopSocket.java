package dev.netstack.socket.nio;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.NetAddress;

/**
 * How the operations of a socket reach its event loop: the gate every call passes, call order across host-name
 * look-ups, and results delivered on the loop, so that a socket's callbacks never run concurrently with its events.
 * A superclass of {@link NioSocket} rather than an object it holds: a socket pays no object for it.
 */
abstract class LoopSocket extends EventSource {

    final EventLoop loop;

    final NioSocketFactory factory;

    /**
     * Keeps this socket's operations in call order across host-name look-ups; made by the first look-up, so that a
     * socket of IP literals, as most are, pays no object for it.
     */
    private volatile CallOrder calls;

    private static final AtomicReferenceFieldUpdater<LoopSocket, CallOrder> CALLS = AtomicReferenceFieldUpdater
        .newUpdater(LoopSocket.class, CallOrder.class, "calls");

    LoopSocket(EventLoop loop, NioSocketFactory factory) {
        this.loop = loop;
        this.factory = factory;
    }

    /**
     * Tells whether {@code close()} was called: every operation called after it fails.
     * @return whether it was
     */
    abstract boolean isCloseRequested();

    /**
     * Delivers a result to a caller's callback, on the calling thread.
     * @param callback the callback
     * @param error the failure, or {@code null}
     * @param value the result on success
     * @param <T> the result type
     */
    abstract <T> void complete(AsyncCallback<T> callback, BusinessError error, T value);

    <T> void succeed(AsyncCallback<T> callback, T value) {
        if (this.loop.inEventLoop()) {
            complete(callback, null, value);
        }
        else {
            handOver(() -> complete(callback, null, value));
        }
    }

    void fail(AsyncCallback<?> callback, BusinessError error) {
        if (this.loop.inEventLoop()) {
            complete(callback, error, null);
        }
        else {
            handOver(() -> complete(callback, error, null));
        }
    }

    /**
     * Delivers a result found on the caller's thread (a bad parameter, the state) on the loop instead: callbacks of a
     * socket then never run concurrently with its events, and results arrive in call order, behind a pending look-up
     * too. Once the loop has stopped there is no other thread to use, so the caller's thread delivers it.
     */
    private void handOver(Runnable delivery) {
        inCallOrder(delivery, delivery);
    }

    /**
     * Runs a task on the loop after every earlier operation of the socket.
     * @param task the task
     * @param onRejected runs instead, on the calling thread, when the loop has stopped
     */
    void inCallOrder(Runnable task, Runnable onRejected) {
        CallOrder order = this.calls;
        if (order != null) {
            order.execute(task, onRejected);
        }
        else if (!this.loop.tryExecute(task)) {
            onRejected.run();
        }
    }

    /**
     * The gate every operation passes first: checks the callback (a {@code null} one has nowhere to report, so it
     * throws 401) and fails the call when {@code close()} was called already.
     * @param callback the caller's callback
     * @return {@code true} when the call was refused and the caller must return
     */
    boolean refuseCall(AsyncCallback<?> callback) {
        Callbacks.requireCallback(callback);
        if (isCloseRequested()) {
            BusinessError inert = inertError();
            fail(callback, (inert != null) ? inert : Errors.closed());
            return true;
        }
        return false;
    }

    /**
     * {@link #refuseCall(AsyncCallback)} for an operation that takes options, which must not be {@code null}.
     * @param callback the caller's callback
     * @param options the caller's options
     * @return {@code true} when the call was refused and the caller must return
     */
    boolean refuseCall(AsyncCallback<?> callback, Object options) {
        if (refuseCall(callback)) {
            return true;
        }
        if (options == null) {
            fail(callback, Errors.parameter("options must not be null"));
            return true;
        }
        return false;
    }

    /**
     * Runs a step on the socket's loop, queued behind earlier calls.
     * @param task the step
     * @param callback failed with 2301009 when the loop has stopped
     */
    void onLoop(Runnable task, AsyncCallback<?> callback) {
        // Queued even when called on the loop: a callback that starts the next operation returns before it runs, so
        // a chain of operations started from callbacks uses constant stack, and operations run in call order. Only
        // behind a pending look-up does it take the slower path that allocates the rejection.
        CallOrder order = this.calls;
        if (order != null && !order.idle()) {
            order.execute(task, () -> factoryClosed(callback));
        }
        else if (!this.loop.tryExecute(task)) {
            factoryClosed(callback);
        }
    }

    /** Fails an operation that no loop is left to run, on the calling thread: there is no other. */
    private void factoryClosed(AsyncCallback<?> callback) {
        complete(callback, Errors.factoryClosed(), null);
    }

    /**
     * Checks a local address (bind never resolves a name) and runs the step on the loop.
     * @param address the address
     * @param callback receives a 401
     * @param step what to do with the address, on the loop
     */
    void bindThen(NetAddress address, AsyncCallback<?> callback, Consumer<InetSocketAddress> step) {
        InetSocketAddress local;
        try {
            local = Addresses.parseLocal(address);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> step.accept(local), callback);
    }

    /**
     * Checks a destination, resolves a host name off the loop when needed, and runs the step on the loop, in call
     * order with the socket's other operations.
     * @param address the address
     * @param callback receives a 401 or resolution failure
     * @param step what to do with the resolved address, on the loop
     */
    void resolveThen(NetAddress address, AsyncCallback<?> callback, Consumer<InetSocketAddress> step) {
        InetSocketAddress parsed;
        try {
            parsed = Addresses.parse(address, true);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        if (parsed != null) {
            onLoop(() -> step.accept(parsed), callback);
            return;
        }
        // Made on the caller's thread, which then sees it in its next call: other threads' calls have no order to keep.
        if (this.calls == null) {
            CALLS.compareAndSet(this, null, new CallOrder(this.loop, this.factory.resolver()));
        }
        this.calls.lookUpThen(address, step, error -> fail(callback, error), () -> factoryClosed(callback));
    }

    /**
     * What {@code setExtraOptions} does for both socket kinds before the channel is touched: checks the options on
     * the caller's thread, copies them, and applies the copy on the loop.
     * @param options the caller's options
     * @param copy makes a copy, so that a caller changing its object after the call cannot change what is applied
     * @param apply applies the copy on the loop and completes the callback
     * @param callback receives a 401 or the result
     * @param <O> the options type
     */
    <O extends ExtraOptions> void setExtraOptions(O options, UnaryOperator<O> copy,
            BiConsumer<O, AsyncCallback<Void>> apply, AsyncCallback<Void> callback) {
        if (refuseCall(callback)) {
            return;
        }
        O copied;
        try {
            ExtraOptionsSupport.validate(options);
            copied = copy.apply(options);
        }
        catch (BusinessError ex) {
            fail(callback, ex);
            return;
        }
        onLoop(() -> apply.accept(copied, callback), callback);
    }

}
