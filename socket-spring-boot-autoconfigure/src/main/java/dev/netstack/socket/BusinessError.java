package dev.netstack.socket;

/**
 * The error of a socket operation, with the numeric code of the {@code @ohos.net.socket} error table.
 *
 * <p>The same object is passed to an {@link AsyncCallback}, completes a future exceptionally, and is the payload of
 * the {@link SocketEventType#ERROR 'error'} event. Codes:
 * <ul>
 * <li>{@value #PARAMETER_ERROR} parameter error: the message names the value and the accepted range;</li>
 * <li>{@value #PERMISSION_DENIED} permission denied: the access policy refuses the address;</li>
 * <li>{@value #INTERNAL_ERROR} internal error;</li>
 * <li>{@value #SYSTEM_ERROR_BASE} + errno for system errors, e.g. {@value #NOT_BOUND} socket not bound or closed
 * (EBADF), {@value #ADDRESS_IN_USE} address in use, {@value #NOT_CONNECTED} not connected, {@value #TIMED_OUT}
 * timed out, {@value #CONNECTION_REFUSED} connection refused, {@value #CONNECTION_RESET} reset by peer,
 * {@value #ALREADY_IN_PROGRESS} a connect already in progress, {@value #WOULD_BLOCK} would block,
 * {@value #MESSAGE_TOO_LONG} datagram too long, {@value #NO_BUFFER_SPACE} send queue full;</li>
 * <li>{@value #SERVER_ERROR_BASE} + errno for a server's {@code listen} and accept, as the reference: e.g.
 * {@value #SERVER_ADDRESS_IN_USE} address in use, {@value #SERVER_ADDRESS_NOT_AVAILABLE} address not available,
 * {@value #SERVER_CLOSED} server closed, {@value #SERVER_ALREADY_LISTENING} listening already,
 * {@value #SERVER_PROCESS_FILE_LIMIT} and {@value #SERVER_SYSTEM_FILE_LIMIT} no descriptor left.</li>
 * <li>TLS: {@value #TLS_SYSTEM_ERROR_BASE} + errno for system errors, {@value #TLS_NO_SESSION} no session yet,
 * {@value #TLS_CERTIFICATE_INVALID} certificate verification failed, {@value #TLS_HANDSHAKE_FAILED} handshake
 * failed, {@value #TLS_PEER_CLOSED} the peer closed the session, {@value #TLS_HANDSHAKE_TIMED_OUT} handshake timed
 * out, {@value #TLS_INVALID_SOCKET} and {@value #TLS_SOCKET_NOT_CONNECTED} a socket that cannot be upgraded.</li>
 * </ul>
 */
public class BusinessError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A parameter has a bad value. */
    public static final int PARAMETER_ERROR = 401;
    /** The access policy does not permit the address (the seed's {@code ohos.permission.INTERNET}). */
    public static final int PERMISSION_DENIED = 201;
    /** An error inside the engine that no other code describes. */
    public static final int INTERNAL_ERROR = 2300002;
    /** A host name could not be resolved to an address of the requested family. */
    public static final int HOST_NOT_RESOLVED = 2300006;
    /** Base of the system error codes: {@code 2301000 + errno}. */
    public static final int SYSTEM_ERROR_BASE = 2301000;
    /** No such file or directory (ENOENT): a local socket's path or its directory does not exist. */
    public static final int NO_SUCH_FILE = SYSTEM_ERROR_BASE + 2;
    /** The call would block (EAGAIN), e.g. a local connect to a server whose backlog of connections is full. */
    public static final int WOULD_BLOCK = SYSTEM_ERROR_BASE + 11;
    /** Permission denied by the operating system (EACCES), e.g. a broadcast without the broadcast option. */
    public static final int ACCESS_DENIED = SYSTEM_ERROR_BASE + 13;
    /** The kernel refused an argument (EINVAL), e.g. binding a socket that is already bound. */
    public static final int INVALID_ARGUMENT = SYSTEM_ERROR_BASE + 22;
    /** Broken pipe (EPIPE). */
    public static final int BROKEN_PIPE = SYSTEM_ERROR_BASE + 32;
    /** The socket is not bound, or is closed (EBADF). */
    public static final int NOT_BOUND = SYSTEM_ERROR_BASE + 9;
    /** The datagram is larger than the protocol allows (EMSGSIZE). */
    public static final int MESSAGE_TOO_LONG = SYSTEM_ERROR_BASE + 90;
    /** The address family is not supported by the socket (EAFNOSUPPORT). */
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = SYSTEM_ERROR_BASE + 97;
    /** The local address is in use (EADDRINUSE). */
    public static final int ADDRESS_IN_USE = SYSTEM_ERROR_BASE + 98;
    /** The local address is not available on this host (EADDRNOTAVAIL). */
    public static final int ADDRESS_NOT_AVAILABLE = SYSTEM_ERROR_BASE + 99;
    /** The network is unreachable (ENETUNREACH). */
    public static final int NETWORK_UNREACHABLE = SYSTEM_ERROR_BASE + 101;
    /** The connection was reset by the peer (ECONNRESET). */
    public static final int CONNECTION_RESET = SYSTEM_ERROR_BASE + 104;
    /** The send queue is full (ENOBUFS). */
    public static final int NO_BUFFER_SPACE = SYSTEM_ERROR_BASE + 105;
    /** The socket is already connected (EISCONN). */
    public static final int ALREADY_CONNECTED = SYSTEM_ERROR_BASE + 106;
    /** The socket is not connected (ENOTCONN). */
    public static final int NOT_CONNECTED = SYSTEM_ERROR_BASE + 107;
    /** A connect is already in progress on the socket (EALREADY). */
    public static final int ALREADY_IN_PROGRESS = SYSTEM_ERROR_BASE + 114;
    /** The operation timed out (ETIMEDOUT). */
    public static final int TIMED_OUT = SYSTEM_ERROR_BASE + 110;
    /** The peer refused the connection (ECONNREFUSED). */
    public static final int CONNECTION_REFUSED = SYSTEM_ERROR_BASE + 111;
    /** The host is unreachable (EHOSTUNREACH). */
    public static final int HOST_UNREACHABLE = SYSTEM_ERROR_BASE + 113;

    /** The base of the TCP server's system errors (listen, accept): 2303100 + errno. */
    public static final int SERVER_ERROR_BASE = 2303100;
    /** listen on a server that was closed (EBADF). */
    public static final int SERVER_CLOSED = SERVER_ERROR_BASE + 9;
    /** listen on a server that is listening already (EINVAL). */
    public static final int SERVER_ALREADY_LISTENING = SERVER_ERROR_BASE + 22;
    /** The system has no descriptor left for an accepted connection (ENFILE). */
    public static final int SERVER_SYSTEM_FILE_LIMIT = SERVER_ERROR_BASE + 23;
    /** The process has no descriptor left for an accepted connection (EMFILE). */
    public static final int SERVER_PROCESS_FILE_LIMIT = SERVER_ERROR_BASE + 24;
    /** The server's address is in use (EADDRINUSE). */
    public static final int SERVER_ADDRESS_IN_USE = SERVER_ERROR_BASE + 98;
    /** The server's address is not one of this host's (EADDRNOTAVAIL). */
    public static final int SERVER_ADDRESS_NOT_AVAILABLE = SERVER_ERROR_BASE + 99;
    /**
     * Base of the system error codes of TLS sockets and of servers: {@code 2303100 + errno}, e.g. 2303211 connection
     * refused, 2303198 address in use, 2303210 timed out.
     */
    public static final int TLS_SYSTEM_ERROR_BASE = 2303100;
    /** The TLS handshake, TCP connect included, did not finish within its timeout (ETIMEDOUT). */
    public static final int TLS_HANDSHAKE_TIMED_OUT = TLS_SYSTEM_ERROR_BASE + 110;
    /** The call needs a TLS session, and the handshake has not finished (the reference's "SSL is null"). */
    public static final int TLS_NO_SESSION = 2303501;
    /** The peer's certificate failed verification: its chain, its validity period or its name. */
    public static final int TLS_CERTIFICATE_INVALID = 2303504;
    /**
     * The TLS handshake or session failed for a reason other than the peer's certificate: no common protocol or
     * cipher suite, an alert from the peer, a peer that does not speak TLS, a corrupt record.
     */
    public static final int TLS_HANDSHAKE_FAILED = 2303505;
    /** The peer ended the TLS session (close_notify) while sends were pending. */
    public static final int TLS_PEER_CLOSED = 2303506;
    /** The socket to upgrade to TLS has no connection of its own (another factory's socket, or never connected). */
    public static final int TLS_INVALID_SOCKET = 2303601;
    /** The socket to upgrade to TLS is not connected. */
    public static final int TLS_SOCKET_NOT_CONNECTED = 2303602;

    private final int code;

    /**
     * Creates an error.
     * @param code the code from the error table
     * @param message what was wrong, naming the value
     */
    public BusinessError(int code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * Creates an error caused by another exception.
     * @param code the code from the error table
     * @param message what was wrong, naming the value
     * @param cause the exception that caused it
     */
    public BusinessError(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    private BusinessError(int code, String message, boolean writableStackTrace) {
        super(message, null, true, writableStackTrace);
        this.code = code;
    }

    /**
     * Creates an error without a stack trace, for failures that are expected and may come by the million (a full
     * send queue, a call after close): the code and the message tell all there is, and filling in a stack trace
     * would cost more than the failure itself.
     * @param code the code from the error table
     * @param message what was wrong, naming the value
     * @return the error; {@link #getStackTrace()} is empty
     */
    public static BusinessError withoutStackTrace(int code, String message) {
        return new BusinessError(code, message, false);
    }

    /**
     * Returns the code of the error table.
     * @return the code, e.g. {@value #PARAMETER_ERROR}
     */
    public int getCode() {
        return this.code;
    }

    @Override
    public String toString() {
        return "BusinessError(" + this.code + "): " + getMessage();
    }

}
