package dev.netstack.socket.nio;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timers on a running loop: cancelling one costs O(1) amortised, never a search of the whole queue, and what is
 * left fires in deadline order.
 */
@Timeout(60)
class EventLoopTimerTests {

    private static final int TIMERS = 200_000;

    private final NioSocketFactory factory = NioSocketFactory
        .create(SocketSettings.builder().ioThreads(1).threadNamePrefix("socket-io-EventLoopTimerTests-").build());

    private final EventLoop loop = this.factory.eventLoops().loops().get(0);

    @AfterEach
    void close() {
        this.factory.close();
    }

    @Test
    void cancellingTwoHundredThousandTimersNewestFirstTakesLinearTime() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        this.loop.execute(() -> {
            long started = System.nanoTime();
            List<LoopTimer> timers = new ArrayList<>(TIMERS);
            for (int i = 0; i < TIMERS; i++) {
                timers.add(this.loop.schedule(1, TimeUnit.HOURS, fired::incrementAndGet));
            }
            // Newest first: the newest timer sits at the end of the heap, where a search for it would look last.
            for (int i = TIMERS - 1; i >= 0; i--) {
                this.loop.cancel(timers.get(i));
            }
            elapsed.complete(System.nanoTime() - started);
        });
        // Searching the heap for each would take 2 * 10^10 steps, far beyond this bound.
        assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed.get(30, TimeUnit.SECONDS))).isLessThan(5_000);
    }

    @Test
    void timersLeftAfterCancellationsFireInDeadlineOrder() throws Exception {
        List<LoopTimer> timers = new ArrayList<>();
        List<LoopTimer> fired = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.loop.execute(() -> {
            for (int i = 0; i < 1000; i++) {
                int index = i;
                // Deadlines mostly in reverse of the scheduling order, within two milliseconds.
                timers.add(this.loop.schedule(2_000_000 - 1000L * i, TimeUnit.NANOSECONDS,
                        () -> fired.add(timers.get(index))));
            }
            for (int i = 0; i < 1000; i++) {
                if (i % 10 != 0) {
                    this.loop.cancel(timers.get(i));
                }
            }
            this.loop.schedule(5, TimeUnit.MILLISECONDS, () -> done.complete(null));
        });
        done.get(10, TimeUnit.SECONDS);
        List<LoopTimer> kept = new ArrayList<>();
        for (int i = 0; i < timers.size(); i += 10) {
            kept.add(timers.get(i));
        }
        assertThat(fired).containsExactlyInAnyOrderElementsOf(kept)
            .extracting(LoopTimer::deadlineNanos)
            .isSortedAccordingTo((a, b) -> Long.compare(a - b, 0));
    }

}
