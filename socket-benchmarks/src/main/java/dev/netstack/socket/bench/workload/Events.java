package dev.netstack.socket.bench.workload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

import dev.netstack.socket.bench.contender.EngineContender;
import dev.netstack.socket.event.SocketEventPublisher;
import dev.netstack.socket.event.SocketMessageEvent;

/**
 * Workload 5: the cost of publishing events. One-way UDP at 64 bytes into the engine, once without an observer and
 * once with the Spring integration's {@link SocketEventPublisher} (observer on the loop, bounded queue, one dispatch
 * thread) delivering every message as a {@link SocketMessageEvent} to an {@code @EventListener} in a Spring context.
 * An engine-only figure; the ratio on/off is what matters.
 */
public final class Events {

    private Events() {
    }

    /**
     * Runs the workload.
     * @param published whether events are published
     * @param warmupMillis how long to send before measuring
     * @param measureMillis how long to measure
     * @param sink where the figures go
     * @throws Exception when the run fails
     */
    public static void run(boolean published, long warmupMillis, long measureMillis, Sink sink) throws Exception {
        if (!published) {
            try (EngineContender engine = new EngineContender("engine", null)) {
                UdpOneWay.run(engine, 64, warmupMillis, measureMillis, "events-off", sink);
            }
            return;
        }
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Listener.class)) {
            Listener listener = context.getBean(Listener.class);
            SocketEventPublisher publisher = new SocketEventPublisher(context, Duration.ofSeconds(5));
            publisher.start();
            try (EngineContender engine = new EngineContender("engine", publisher)) {
                UdpOneWay.run(engine, 64, warmupMillis, measureMillis, "events-on", (key, value, note) -> {
                    if (key.endsWith(".rate")) {
                        note = String.format("SocketEventPublisher (queue of %d events) into an @EventListener: "
                                + "%d message events delivered, %d dropped", SocketEventPublisher.DEFAULT_MAX_EVENTS,
                                listener.delivered.get(), publisher.droppedEvents());
                    }
                    sink.report(key, value, note);
                }, SocketEventPublisher.THREAD_NAME);
            }
            finally {
                publisher.stop();
            }
        }
    }

    /** The application's listener: counts the messages it is handed. */
    static class Listener {

        final AtomicLong delivered = new AtomicLong();

        @EventListener
        public void onMessage(SocketMessageEvent event) {
            if (event.getMessage().size() >= 0) {
                this.delivered.incrementAndGet();
            }
        }

    }

}
