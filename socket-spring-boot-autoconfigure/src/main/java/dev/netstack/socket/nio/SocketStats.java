package dev.netstack.socket.nio;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of a factory's sockets, per protocol, for meters and health details.
 */
public final class SocketStats {

    private final ProtocolStats udp = new ProtocolStats(Protocol.UDP);

    private final ProtocolStats tcp = new ProtocolStats(Protocol.TCP);

    private final ProtocolStats tls = new ProtocolStats(Protocol.TLS);

    private final ServerStats tcpServers = new ServerStats();

    private final ServerStats tlsServers = new ServerStats();

    private final LongAdder callbackFailures = new LongAdder();

    private final LongAdder loopInterrupts = new LongAdder();

    /**
     * Returns the totals of one protocol.
     * @param protocol the protocol
     * @return its totals
     */
    public ProtocolStats of(Protocol protocol) {
        return switch (protocol) {
            case UDP -> this.udp;
            case TCP -> this.tcp;
            case TLS -> this.tls;
        };
    }

    /**
     * Returns the totals of the servers of one protocol.
     * @param protocol the protocol of the servers
     * @return their totals
     */
    public ServerStats server(Protocol protocol) {
        return (protocol == Protocol.TLS) ? this.tlsServers : this.tcpServers;
    }

    /**
     * Returns how many user callbacks and listeners threw.
     * @return the total
     */
    public long callbackFailures() {
        return this.callbackFailures.sum();
    }

    /**
     * Returns how many times a callback or task interrupted an event loop thread, which cleared the interrupt.
     * @return the total
     */
    public long loopInterrupts() {
        return this.loopInterrupts.sum();
    }

    void callbackFailed() {
        this.callbackFailures.increment();
    }

    void loopInterrupted() {
        this.loopInterrupts.increment();
    }

}
