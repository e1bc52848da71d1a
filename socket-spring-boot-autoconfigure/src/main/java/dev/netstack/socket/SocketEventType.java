package dev.netstack.socket;

import java.util.List;
import java.util.Objects;

/**
 * The kinds of event a socket emits, named as the seed's strings.
 *
 * <p>{@link #MESSAGE}, {@link #CLOSE} and {@link #ERROR} exist on both socket kinds; {@link #LISTENING} only on
 * {@link UDPSocket} and {@link #CONNECT} only on {@link TCPSocket}. Passing a type that the socket kind does not
 * have to {@code on}/{@code off} is a parameter error (401), thrown at once.
 *
 * @param <T> the type of the payload that the callbacks receive
 */
public final class SocketEventType<T> {

    /** A datagram (UDP) or a chunk of the stream (TCP) was received. */
    public static final SocketEventType<SocketMessageInfo> MESSAGE = new SocketEventType<>(0, "message", true, true);

    /** A UDP socket was bound and receives datagrams; fires before the bind result is delivered. */
    public static final SocketEventType<Void> LISTENING = new SocketEventType<>(1, "listening", true, false);

    /** A TCP connection was established; fires before the connect result is delivered. */
    public static final SocketEventType<Void> CONNECT = new SocketEventType<>(2, "connect", false, true);

    /** The socket was closed: once per socket, by {@code close()} or (TCP) by the peer. */
    public static final SocketEventType<Void> CLOSE = new SocketEventType<>(3, "close", true, true);

    /** An asynchronous failure that no pending call receives, such as a reset by the peer. */
    public static final SocketEventType<BusinessError> ERROR = new SocketEventType<>(4, "error", true, true);

    private static final List<SocketEventType<?>> ALL = List.of(MESSAGE, LISTENING, CONNECT, CLOSE, ERROR);

    private final int index;

    private final String name;

    private final boolean udp;

    private final boolean tcp;

    /**
     * Makes the {@code "connect"} type of a server, whose payload is the new connection (such as
     * {@link TLSSocketServer#CONNECT}). It shares {@link #CONNECT}'s name and slot: a server emits no other connect.
     * @param <T> the connection type
     * @return a type that {@link #of} does not return, since the client's {@link #CONNECT} owns the name there
     */
    static <T> SocketEventType<T> serverConnect() {
        return new SocketEventType<>(CONNECT.index, CONNECT.name, false, false);
    }

    /**
     * Makes the {@code "message"} type of local sockets ({@link LocalSocket#MESSAGE}), whose payload names a path
     * instead of an IP peer. It shares {@link #MESSAGE}'s name and slot: a local socket emits no other message.
     * @return a type that {@link #of} does not return
     */
    static SocketEventType<LocalSocketMessageInfo> localMessage() {
        return new SocketEventType<>(MESSAGE.index, MESSAGE.name, false, false);
    }

    private SocketEventType(int index, String name, boolean udp, boolean tcp) {
        this.index = index;
        this.name = name;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Looks up a type by the seed's string.
     * @param name {@code "message"}, {@code "listening"}, {@code "connect"}, {@code "close"} or {@code "error"}
     * @return the type
     * @throws BusinessError 401 when the name is {@code null} or not one of the above
     */
    public static SocketEventType<?> of(String name) {
        for (SocketEventType<?> type : ALL) {
            if (type.name.equals(name)) {
                return type;
            }
        }
        throw new BusinessError(BusinessError.PARAMETER_ERROR,
                "event type '" + name + "' is not one of message, listening, connect, close, error");
    }

    /**
     * Returns the seed's five types. The typed {@code 'connect'} of servers (such as {@link TCPSocketServer#CONNECT})
     * shares the name and the slot of {@link #CONNECT}.
     * @return the types in the order of {@link #ordinal()}
     */
    public static List<SocketEventType<?>> values() {
        return ALL;
    }

    /**
     * Returns the seed's string for this type.
     * @return e.g. {@code "message"}
     */
    public String name() {
        return this.name;
    }

    /**
     * Returns a small dense number for this type, for array-indexed lookups.
     * @return 0 to {@code values().size() - 1}
     */
    public int ordinal() {
        return this.index;
    }

    /**
     * Tells whether a UDP socket emits this type.
     * @return {@code true} for message, listening, close and error
     */
    public boolean isUdp() {
        return this.udp;
    }

    /**
     * Tells whether a TCP socket emits this type.
     * @return {@code true} for message, connect, close and error
     */
    public boolean isTcp() {
        return this.tcp;
    }

    @Override
    public String toString() {
        return this.name;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(this.name);
    }

}
