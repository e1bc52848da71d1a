package dev.netstack.socket.bench.contender;

/**
 * A contender's UDP sender, for the allocation benchmark: sends datagrams through the contender's own API and waits
 * until each send has completed as that API reports completion.
 */
public interface UdpSender extends AutoCloseable {

    /**
     * Sends {@code count} datagrams and returns when all of them completed.
     * @param count how many
     * @throws Exception when a send fails or does not complete in time
     */
    void sendAndAwait(int count) throws Exception;

    @Override
    void close() throws Exception;

}
