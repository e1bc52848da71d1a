package dev.netstack.socket.nio;

import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

import dev.netstack.socket.BusinessError;

/**
 * Turns failures into {@link BusinessError}s with the codes of DESIGN.md. The JDK reports errno only as message
 * text, so the mapping reads the messages that the JDK's native code produces on Linux and macOS.
 */
public final class Errors {

    /** Every code the engine produces, so that meters can be registered up front. */
    public static final List<Integer> CODES;

    /** The codes of TCP and UDP sockets; TLS sockets report their system errors at the TLS base instead. */
    private static final List<Integer> TRANSPORT_CODES = List.of(BusinessError.PARAMETER_ERROR,
            BusinessError.PERMISSION_DENIED,
            BusinessError.INTERNAL_ERROR, BusinessError.HOST_NOT_RESOLVED, BusinessError.NO_SUCH_FILE,
            BusinessError.WOULD_BLOCK,
            BusinessError.NOT_BOUND,
            BusinessError.ACCESS_DENIED, BusinessError.INVALID_ARGUMENT, BusinessError.BROKEN_PIPE,
            BusinessError.MESSAGE_TOO_LONG, BusinessError.ADDRESS_FAMILY_NOT_SUPPORTED, BusinessError.ADDRESS_IN_USE,
            BusinessError.ADDRESS_NOT_AVAILABLE, BusinessError.NETWORK_UNREACHABLE, BusinessError.CONNECTION_RESET,
            BusinessError.NO_BUFFER_SPACE, BusinessError.ALREADY_CONNECTED, BusinessError.NOT_CONNECTED,
            BusinessError.TIMED_OUT, BusinessError.CONNECTION_REFUSED, BusinessError.HOST_UNREACHABLE,
            BusinessError.ALREADY_IN_PROGRESS, BusinessError.SERVER_CLOSED, BusinessError.SERVER_ALREADY_LISTENING,
            BusinessError.SERVER_SYSTEM_FILE_LIMIT, BusinessError.SERVER_PROCESS_FILE_LIMIT,
            BusinessError.SERVER_ADDRESS_IN_USE, BusinessError.SERVER_ADDRESS_NOT_AVAILABLE);

    /** The codes of TLS sockets beyond their system errors. */
    private static final List<Integer> TLS_CODES = List.of(BusinessError.TLS_HANDSHAKE_TIMED_OUT,
            BusinessError.TLS_NO_SESSION, BusinessError.TLS_CERTIFICATE_INVALID, BusinessError.TLS_HANDSHAKE_FAILED,
            BusinessError.TLS_PEER_CLOSED, BusinessError.TLS_INVALID_SOCKET, BusinessError.TLS_SOCKET_NOT_CONNECTED);

    static {
        Set<Integer> codes = new LinkedHashSet<>(TRANSPORT_CODES);
        codes.addAll(TLS_CODES);
        for (int code : TRANSPORT_CODES) {
            int errno = code - BusinessError.SYSTEM_ERROR_BASE;
            if (errno > 0 && errno < 1000) {
                codes.add(BusinessError.TLS_SYSTEM_ERROR_BASE + errno);
            }
        }
        CODES = List.copyOf(codes);
    }

    private Errors() {
    }

    /**
     * A parameter error (401).
     * @param message what was wrong, naming the value
     * @return the error
     */
    public static BusinessError parameter(String message) {
        return new BusinessError(BusinessError.PARAMETER_ERROR, message);
    }

    /**
     * The socket is closed (2301009). Without a stack trace: a caller that goes on sending after a close gets one per
     * call, and the message says all there is.
     * @return the error
     */
    static BusinessError closed() {
        return BusinessError.withoutStackTrace(BusinessError.NOT_BOUND, "socket is closed");
    }

    /**
     * The socket's factory was closed, so no loop is left to run the operation (2301009).
     * @return the error
     */
    static BusinessError factoryClosed() {
        return new BusinessError(BusinessError.NOT_BOUND, "socket is closed: its factory was closed");
    }

    /**
     * Maps an I/O failure to its code.
     * @param what the operation and its target, e.g. {@code "bind to 127.0.0.1:5000"}
     * @param ex the failure
     * @return the error, with {@code ex} as its cause
     */
    static BusinessError io(String what, Throwable ex) {
        int code = codeOf(ex);
        String detail = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
        return new BusinessError(code, what + " failed: " + detail, ex);
    }

    /**
     * Moves a system error code to the server's base, as the reference reports listen and accept failures:
     * 2301000 + errno becomes 2303100 + errno; other codes (401, 201, 2300002) stay.
     * @param code a code of {@link #codeOf}
     * @return the server's code
     */
    static int serverCode(int code) {
        int errno = code - BusinessError.SYSTEM_ERROR_BASE;
        return (errno > 0 && errno < 1000) ? BusinessError.SERVER_ERROR_BASE + errno : code;
    }

    static int codeOf(Throwable ex) {
        if (ex instanceof BusinessError business) {
            return business.getCode();
        }
        if (ex instanceof ClosedChannelException || ex instanceof ClosedSelectorException) {
            // A closed selector: the call raced with its factory's close and reached a loop that has stopped.
            return BusinessError.NOT_BOUND;
        }
        if (ex instanceof UnresolvedAddressException) {
            return BusinessError.HOST_NOT_RESOLVED;
        }
        if (ex instanceof UnsupportedAddressTypeException) {
            return BusinessError.ADDRESS_FAMILY_NOT_SUPPORTED;
        }
        if (ex instanceof SocketTimeoutException) {
            return BusinessError.TIMED_OUT;
        }
        if (ex instanceof PortUnreachableException) {
            return BusinessError.CONNECTION_REFUSED;
        }
        if (ex instanceof NoRouteToHostException) {
            return BusinessError.HOST_UNREACHABLE;
        }
        String message = (ex.getMessage() != null) ? ex.getMessage().toLowerCase(Locale.ROOT) : "";
        if (message.contains("address already in use")) {
            return BusinessError.ADDRESS_IN_USE;
        }
        if (message.contains("cannot assign requested address") || message.contains("can't assign requested address")) {
            return BusinessError.ADDRESS_NOT_AVAILABLE;
        }
        if (message.contains("too many open files in system")) {
            return BusinessError.SYSTEM_ERROR_BASE + 23;
        }
        if (message.contains("too many open files")) {
            return BusinessError.SYSTEM_ERROR_BASE + 24;
        }
        if (message.contains("resource temporarily unavailable") || message.contains("operation would block")) {
            return BusinessError.WOULD_BLOCK;
        }
        if (message.contains("connection refused")) {
            return BusinessError.CONNECTION_REFUSED;
        }
        if (message.contains("timed out")) {
            return BusinessError.TIMED_OUT;
        }
        if (message.contains("no route to host") || message.contains("host is unreachable")) {
            return BusinessError.HOST_UNREACHABLE;
        }
        if (message.contains("network is unreachable")) {
            return BusinessError.NETWORK_UNREACHABLE;
        }
        if (message.contains("connection reset")) {
            return BusinessError.CONNECTION_RESET;
        }
        if (message.contains("broken pipe")) {
            return BusinessError.BROKEN_PIPE;
        }
        if (message.contains("message too long")) {
            return BusinessError.MESSAGE_TOO_LONG;
        }
        if (message.contains("no such file or directory")) {
            return BusinessError.NO_SUCH_FILE;
        }
        if (message.contains("permission denied")) {
            return BusinessError.ACCESS_DENIED;
        }
        if (message.contains("invalid argument")) {
            return BusinessError.INVALID_ARGUMENT;
        }
        if (message.contains("protocol family unavailable") || message.contains("address family not supported")) {
            return BusinessError.ADDRESS_FAMILY_NOT_SUPPORTED;
        }
        return BusinessError.INTERNAL_ERROR;
    }

}
