package dev.netstack.socket.bench.contender;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One implementation under test. Every workload calls the same role on every contender, with the same sizes, on
 * the same loopback address; a contender that has no sensible way to play a role says so.
 *
 * <p>Each contender uses exactly one I/O thread of its own (one event loop, or one blocking thread per role), so
 * that the figures compare the code paths and not thread counts.
 */
public interface Contender extends AutoCloseable {

    /**
     * Returns the contender's id as used on the command line and in the table.
     * @return e.g. {@code engine}
     */
    String id();

    /**
     * Returns the start of the names of the contender's own I/O threads, whose CPU time some workloads measure.
     * @return e.g. {@code engine-io-}, or {@code null} when the contender works on the caller's thread
     */
    default String ioThreadPrefix() {
        return null;
    }

    /**
     * Binds a UDP receiver to 127.0.0.1 on a free port that counts every datagram.
     * @return the receiver
     * @throws Exception when it cannot be set up
     */
    default UdpSink udpSink() throws Exception {
        throw unsupported("UDP receive");
    }

    /**
     * Connects to a stream sink and sends {@code chunks} times the bytes of {@code chunk} as fast as the contender's
     * flow control allows; returns when every byte has been handed to the kernel.
     * @param sink the sink's address: TCP ({@code InetSocketAddress}) or local ({@code UnixDomainSocketAddress})
     * @param chunk the bytes of one send (never modified; each send sends all of its remaining bytes)
     * @param chunks how many sends
     * @throws Exception when a send fails
     */
    default void tcpBulk(SocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        throw unsupported("TCP bulk send");
    }

    /**
     * Plays the client of a UDP ping-pong against an echo server.
     * @param echo the echo server
     * @param size the size of ping and pong
     * @param rounds the plan, filled in as pongs arrive
     * @return the round-trip times after the warm-up, in nanoseconds
     * @throws Exception when the run fails or stalls
     */
    default long[] udpPingPong(InetSocketAddress echo, int size, Rounds rounds) throws Exception {
        throw unsupported("UDP ping-pong");
    }

    /**
     * Plays the client of a stream ping-pong against an echo server: TCP (TCP_NODELAY on) or local.
     * @param echo the echo server: an {@code InetSocketAddress} or a {@code UnixDomainSocketAddress}
     * @param size the size of ping and pong
     * @param rounds the plan, filled in as pongs arrive
     * @return the round-trip times after the warm-up, in nanoseconds
     * @throws Exception when the run fails or stalls
     */
    default long[] tcpPingPong(SocketAddress echo, int size, Rounds rounds) throws Exception {
        throw unsupported("TCP ping-pong");
    }

    /**
     * Opens {@code count} TCP connections to a server and keeps them open, idle, until the result is closed.
     * @param server the server
     * @param count how many
     * @return closes them all
     * @throws Exception when a connection fails
     */
    default AutoCloseable idleConnections(InetSocketAddress server, int count) throws Exception {
        throw unsupported("idle connections");
    }

    /**
     * Starts a TCP server on 127.0.0.1 (port 0, TCP_NODELAY on accepted connections) that plays a role for every
     * connection it accepts, from its own I/O thread(s).
     * @param role what it does with each connection
     * @return the listening server; close it when done
     * @throws Exception when it cannot listen
     */
    default TcpServer tcpServer(ServerRole role) throws Exception {
        throw unsupported("TCP server (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    /**
     * As {@link #tcpBulk}, over TLS 1.3 with {@link TlsMaterial}'s context: the sends start once the handshake is done.
     * @param sink the sink's address (a TLS server)
     * @param chunk the plaintext of one send
     * @param chunks how many sends
     * @throws Exception when the handshake or a send fails
     */
    default void tlsBulk(InetSocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        throw unsupported("TLS bulk send");
    }

    /**
     * As {@link #tcpServer}, over TLS 1.3 with {@link TlsMaterial}'s context: a connection counts as accepted, and
     * its role starts, once its handshake is done.
     * @param role what it does with each connection
     * @return the listening server; close it when done
     * @throws Exception when it cannot listen
     */
    default TcpServer tlsServer(ServerRole role) throws Exception {
        throw unsupported("TLS server (" + role.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }

    /**
     * Opens a UDP sender bound to 127.0.0.1 that sends {@code size}-byte datagrams to {@code target}.
     * @param target where to
     * @param size the payload size
     * @return the sender
     * @throws Exception when it cannot be set up
     */
    default UdpSender udpSender(InetSocketAddress target, int size) throws Exception {
        throw unsupported("UDP send");
    }

    /**
     * Builds the exception for a role the contender does not play.
     * @param role the role
     * @return the exception
     */
    default UnsupportedOperationException unsupported(String role) {
        return new UnsupportedOperationException(id() + " does not take part in " + role);
    }

    @Override
    void close() throws Exception;

}
