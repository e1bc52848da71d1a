package dev.netstack.socket.bench.contender;

/**
 * A contender's UDP receiver, bound to 127.0.0.1 on a free port, counting every datagram it is handed.
 */
public interface UdpSink extends AutoCloseable {

    /**
     * Returns the port it is bound to.
     * @return the port
     */
    int port();

    /**
     * Returns the name, or the start of the name, of the thread that receives: its CPU time is measured.
     * @return e.g. {@code engine-io-}
     */
    String threadName();

    /**
     * Returns what it received so far.
     * @return the counter
     */
    Counter counter();

    @Override
    void close() throws Exception;

}
