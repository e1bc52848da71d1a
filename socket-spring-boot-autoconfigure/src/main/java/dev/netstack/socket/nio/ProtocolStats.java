package dev.netstack.socket.nio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import dev.netstack.socket.BusinessError;

/**
 * Running totals of one protocol across every socket of a factory. The event loops add to them; meters read them.
 * Traffic, counted per message, goes to counters of each loop ({@link LoopCounters}) that a read sums; the rest, rare
 * and updated from any thread, to {@link LongAdder}s.
 */
public final class ProtocolStats {

    private final Protocol protocol;

    /** The traffic counters of each loop that has served a socket of this protocol. */
    private final Map<EventLoop, LoopCounters> loops = new ConcurrentHashMap<>();

    private final LongAdder pendingBytes = new LongAdder();

    private final LongAdder active = new LongAdder();

    private final LongAdder droppedMessages = new LongAdder();

    private final LongAdder memberships = new LongAdder();

    private final Map<Integer, LongAdder> errors;

    ProtocolStats(Protocol protocol) {
        this.protocol = protocol;
        this.errors = Errors.CODES.stream()
            .collect(Collectors.toUnmodifiableMap(code -> code, code -> new LongAdder()));
    }

    /**
     * Returns the protocol these totals count.
     * @return the protocol
     */
    public Protocol protocol() {
        return this.protocol;
    }

    /**
     * Returns the bytes received.
     * @return the total
     */
    public long bytesReceived() {
        return sum(LoopCounters::bytesReceived);
    }

    /**
     * Returns the bytes handed to the kernel.
     * @return the total
     */
    public long bytesSent() {
        return sum(LoopCounters::bytesSent);
    }

    /**
     * Returns the datagrams (UDP) or reads (TCP) received.
     * @return the total
     */
    public long messagesReceived() {
        return sum(LoopCounters::messagesReceived);
    }

    /**
     * Returns the sends completed.
     * @return the total
     */
    public long messagesSent() {
        return sum(LoopCounters::messagesSent);
    }

    private long sum(ToLongFunction<LoopCounters> counter) {
        long sum = 0;
        for (LoopCounters counters : this.loops.values()) {
            sum += counter.applyAsLong(counters);
        }
        return sum;
    }

    /**
     * Returns the traffic counters of a loop, made on the first socket of this protocol that it serves.
     * @param loop the loop
     * @return the counters, which only that loop updates
     */
    LoopCounters countersOf(EventLoop loop) {
        return this.loops.computeIfAbsent(loop, (any) -> new LoopCounters());
    }

    /**
     * Returns the bytes accepted by {@code send} and not yet handed to the kernel.
     * @return the bytes now queued
     */
    public long pendingBytes() {
        return this.pendingBytes.sum();
    }

    /**
     * Returns the sockets made and not yet closed.
     * @return the count now
     */
    public long active() {
        return this.active.sum();
    }

    /**
     * Returns the received messages that were dropped before delivery (e.g. from a source the access policy denies).
     * @return the total
     */
    public long droppedMessages() {
        return this.droppedMessages.sum();
    }

    /**
     * Returns the multicast group memberships that the open sockets hold (UDP only).
     * @return the count now
     */
    public long memberships() {
        return this.memberships.sum();
    }

    /**
     * Returns the errors delivered with a code.
     * @param code a code of {@link Errors#CODES}
     * @return the total, 0 for a code the engine never produces
     */
    public long errors(int code) {
        LongAdder counter = this.errors.get(code);
        return (counter != null) ? counter.sum() : 0;
    }

    void pending(long delta) {
        this.pendingBytes.add(delta);
    }

    void opened() {
        this.active.increment();
    }

    void closed() {
        this.active.decrement();
    }

    void memberships(long delta) {
        this.memberships.add(delta);
    }

    void dropped() {
        this.droppedMessages.increment();
    }

    void error(int code) {
        LongAdder counter = this.errors.get(code);
        (counter != null ? counter : this.errors.get(BusinessError.INTERNAL_ERROR)).increment();
    }

}
