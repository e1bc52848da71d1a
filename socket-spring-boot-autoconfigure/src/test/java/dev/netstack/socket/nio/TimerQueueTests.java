package dev.netstack.socket.nio;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The timer queue of an event loop on its own: order, lazy cancellation and the purge that keeps cancelled timers
 * from piling up.
 */
class TimerQueueTests {

    private final TimerQueue queue = new TimerQueue();

    private final List<String> fired = new ArrayList<>();

    @Test
    void dueTimersComeInDeadlineOrderThenSchedulingOrderAndCancelledOnesNever() {
        this.queue.schedule(30, () -> this.fired.add("c"));
        this.queue.schedule(10, () -> this.fired.add("a1"));
        LoopTimer cancelled = this.queue.schedule(20, () -> this.fired.add("b"));
        this.queue.schedule(10, () -> this.fired.add("a2"));
        this.queue.cancel(cancelled);

        runDue(25);
        assertThat(this.fired).containsExactly("a1", "a2");
        assertThat(this.queue.next().deadlineNanos()).isEqualTo(30);
        runDue(30);
        assertThat(this.fired).containsExactly("a1", "a2", "c");
        assertThat(this.queue.next()).isNull();
        assertThat(this.queue.size()).isZero();
    }

    @Test
    void deadlinesCompareAcrossTheWrapOfTheNanoTimeClock() {
        this.queue.schedule(Long.MIN_VALUE + 5, () -> this.fired.add("after the wrap"));
        this.queue.schedule(Long.MAX_VALUE - 5, () -> this.fired.add("before the wrap"));
        runDue(Long.MIN_VALUE + 10);
        assertThat(this.fired).containsExactly("before the wrap", "after the wrap");
    }

    @Test
    void cancellingAFiredOrCancelledTimerAgainChangesNothing() {
        LoopTimer timer = this.queue.schedule(1, () -> this.fired.add("once"));
        runDue(1);
        this.queue.cancel(timer);
        this.queue.cancel(null);
        LoopTimer other = this.queue.schedule(2, () -> this.fired.add("never"));
        this.queue.cancel(other);
        this.queue.cancel(other);
        runDue(3);
        assertThat(this.fired).containsExactly("once");
        assertThat(this.queue.size()).isZero();
    }

    @Test
    void cancelledTimersArePurgedBeforeTheyOutnumberTheLiveOnes() {
        List<LoopTimer> timers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            timers.add(this.queue.schedule(1_000_000 + i, () -> this.fired.add("late")));
        }
        int live = timers.size();
        for (int i = 0; i < timers.size(); i++) {
            if (i % 100 != 0) {
                this.queue.cancel(timers.get(i));
                live--;
                assertThat(this.queue.size()).as("after %d cancels", i + 1)
                    .isLessThanOrEqualTo(2 * live + TimerQueue.PURGE_THRESHOLD);
            }
        }
        assertThat(live).isEqualTo(100);
        runDue(2_000_000);
        assertThat(this.fired).hasSize(100);
    }

    @Test
    void aCancelledTimerLeftInTheQueueNoLongerHoldsItsTask() {
        Runnable task = () -> this.fired.add("never");
        WeakReference<Runnable> reference = new WeakReference<>(task);
        this.queue.schedule(5, () -> this.fired.add("keeps the cancelled one from the head"));
        LoopTimer cancelled = this.queue.schedule(10, task);
        this.queue.cancel(cancelled);
        task = null;
        assertThat(this.queue.size()).isEqualTo(2);
        await().until(() -> {
            System.gc();
            return reference.get() == null;
        });
    }

    private void runDue(long now) {
        Runnable task;
        while ((task = this.queue.pollDue(now)) != null) {
            task.run();
        }
    }

}
