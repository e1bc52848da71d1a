package dev.netstack.socket.bench.workload;

import dev.netstack.socket.bench.contender.EngineContender;

/**
 * Workload 5: the cost of publishing events. One-way UDP at 64 bytes into the engine, once without an observer and
 * once with an observer that hands every event to a bounded queue served by another thread (see
 * {@link QueuedObserver}). The engine-only figure; the ratio on/off is what matters.
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
        try (QueuedObserver observer = new QueuedObserver();
                EngineContender engine = new EngineContender("engine", observer)) {
            UdpOneWay.run(engine, 64, warmupMillis, measureMillis, "events-on", (key, value, note) -> {
                if (key.endsWith(".rate")) {
                    note = String.format("stand-in publisher (queue of %d, one thread): %d events delivered, %d dropped",
                            QueuedObserver.CAPACITY, observer.delivered(), observer.dropped());
                }
                sink.report(key, value, note);
            });
        }
    }

}
