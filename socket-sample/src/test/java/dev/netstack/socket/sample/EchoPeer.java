package dev.netstack.socket.sample;

/**
 * A real network peer that this project did not write, on loopback: a TCP echo server for the sample's client,
 * and a UDP client for the sample's echo socket.
 */
interface EchoPeer extends AutoCloseable {

    /**
     * Returns the port of the peer's TCP echo server on 127.0.0.1: it sends every byte back.
     * @return the port
     */
    int tcpEchoPort();

    /**
     * Sends one line as a datagram to 127.0.0.1:{@code port} from the peer, and returns the first line it gets
     * back.
     * @param port the sample's UDP port
     * @param line the text, sent with a newline
     * @return the answer, without its newline
     * @throws Exception when no answer came in time
     */
    String udpExchange(int port, String line) throws Exception;

    /**
     * Stops the peer.
     */
    @Override
    void close();

}
