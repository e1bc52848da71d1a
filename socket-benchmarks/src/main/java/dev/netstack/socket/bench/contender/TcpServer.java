package dev.netstack.socket.bench.contender;

/**
 * A contender's TCP server, listening on 127.0.0.1 on a free port and playing one {@link ServerRole}.
 */
public interface TcpServer extends AutoCloseable {

    /**
     * Returns the port it listens on.
     * @return the port
     */
    int port();

    /**
     * Returns the connections accepted so far, counted where the contender hands a new connection to the
     * application (its 'connect' callback, {@code channelActive}, the line after {@code accept()}).
     * @return the counter; its messages are the connections
     */
    Counter accepted();

    /**
     * Returns the start of the names of the threads that serve the connections: their CPU time is measured.
     * @return e.g. {@code engine-io-}
     */
    String threadName();

    @Override
    void close() throws Exception;

}
