package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.TCPExtraOptions;

/**
 * The options of a stream socket's channel: set when a client's channel is opened or a server's accepted channel is
 * taken over, applied on the loop by {@code setExtraOptions}, and read back from the channel by
 * {@code getExtraOptions}. Stateless: what a socket keeps of them stays in the socket.
 */
final class StreamOptions {

    private static final System.Logger logger = Loggers.of(StreamOptions.class);

    private StreamOptions() {
    }

    /**
     * Loop only: opens the channel of a client socket with every option known so far, before it is bound or
     * connected, so that reuse-address and the buffer sizes take effect where they must, and registers it with the
     * socket's loop; a failed step leaves no channel open.
     * @param socket the socket
     * @param family the channel's protocol family
     * @throws IOException when the channel cannot be opened, configured or registered
     */
    static void openChannel(NioStreamSocket socket, ProtocolFamily family) throws IOException {
        SocketChannel opened = SocketChannel.open(family);
        try {
            opened.configureBlocking(false);
            ExtraOptionsSupport.apply(opened, socket.options());
            socket.attach(opened);
        }
        catch (IOException | RuntimeException ex) {
            Channels.closeQuietly(opened);
            throw ex;
        }
    }

    /**
     * On the socket's loop: takes over a channel that a server accepted, with the socket's options applied, and has
     * the socket report its addresses. Reads start once there is a consumer ({@link NioStreamSocket#wantsToRead()}).
     * @param socket the connection's socket
     * @param accepted the accepted channel, non-blocking
     * @param addresses the server's addresses, which its connections share where they repeat
     * @return {@code false} when the channel could not be taken (it is closed then, and so is the socket)
     */
    static boolean adoptChannel(NioStreamSocket socket, SocketChannel accepted, AcceptedAddresses addresses) {
        if (socket.isCloseRequested()) {
            // Closed between the accept and this hand-over (its factory is closing): the channel must not outlive it.
            Channels.closeQuietly(accepted);
            socket.finishClose();
            return false;
        }
        try {
            ExtraOptionsSupport.apply(accepted, socket.options());
            socket.attach(accepted);
            socket.adoptAddresses(accepted, addresses);
            return true;
        }
        catch (IOException | RuntimeException ex) {
            logger.log(Level.DEBUG, () -> socket + ": cannot take the accepted connection: " + ex);
            if (socket.channel == null) {
                Channels.closeQuietly(accepted);
            }
            socket.finishClose();
            return false;
        }
    }

    /**
     * Loop only: applies options to the socket's open channel, and has the socket keep them for a later one.
     * @param socket the socket
     * @param update the options to apply; only set fields
     * @param callback receives the result
     */
    static void apply(NioStreamSocket socket, TCPExtraOptions update, AsyncCallback<Void> callback) {
        if (socket.isCloseRequested() || socket.isClosed() || socket.closing) {
            socket.fail(callback, Errors.closed());
            return;
        }
        if (socket.channel == null) {
            socket.fail(callback, new BusinessError(BusinessError.NOT_BOUND,
                    "socket is neither bound nor connected: call bind() or connect() before setExtraOptions()"));
            return;
        }
        try {
            ExtraOptionsSupport.apply(socket.channel, update);
        }
        catch (IOException | RuntimeException ex) {
            socket.fail(callback, Errors.io("setExtraOptions " + update, ex));
            return;
        }
        socket.optionsApplied(update);
        socket.succeed(callback, null);
    }

    /**
     * Loop only: reads the options back from the socket's channel, with its send timeout.
     * @param socket the socket
     * @return the values the channel reports, none without an open channel
     */
    static Map<String, Object> readBack(NioStreamSocket socket) {
        if (socket.channel == null || !socket.channel.isOpen()) {
            return Map.of();
        }
        Map<String, Object> effective = ExtraOptionsSupport.readBack(socket.channel);
        effective.put("socketTimeout", TimeUnit.NANOSECONDS.toMillis(
                StreamWriter.timeoutNanos(socket.factory, socket.options().getSocketTimeout())));
        return effective;
    }

}
