package dev.netstack.socket.bench.workload;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.SocketObserver;

/**
 * A stand-in for the Spring integration's event publisher: on the event loop it wraps each event in an object and
 * hands it to a bounded queue; one other thread takes it off and delivers it to a listener. A full queue drops the
 * event and counts it, so that the loop never blocks. Used until the real publisher is on this branch.
 */
final class QueuedObserver implements SocketObserver, AutoCloseable {

    /** The queue bound. */
    static final int CAPACITY = 8192;

    private final ThreadPoolExecutor executor;

    private final AtomicLong delivered = new AtomicLong();

    private final AtomicLong dropped = new AtomicLong();

    QueuedObserver() {
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(CAPACITY), task -> {
            Thread thread = new Thread(task, "event-publisher");
            thread.setDaemon(true);
            return thread;
        }, (task, pool) -> this.dropped.incrementAndGet());
    }

    @Override
    public <T> void eventEmitted(NioSocket socket, SocketEventType<T> type, T payload) {
        Event<T> event = new Event<>(socket, type, payload, System.nanoTime());
        this.executor.execute(() -> deliver(event));
    }

    private void deliver(Event<?> event) {
        // What a listener would do at the least: look at the event.
        if (event.payload() != null || event.type() != null) {
            this.delivered.incrementAndGet();
        }
    }

    long delivered() {
        return this.delivered.get();
    }

    long dropped() {
        return this.dropped.get();
    }

    @Override
    public void close() throws InterruptedException {
        this.executor.shutdownNow();
        this.executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** What an application event carries: the source, the type, the payload and a timestamp. */
    private record Event<T>(NioSocket socket, SocketEventType<T> type, T payload, long timestamp) {
    }

}
