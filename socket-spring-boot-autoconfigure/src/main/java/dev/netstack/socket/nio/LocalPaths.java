package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.LocalAddress;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.TCPExtraOptions;

/**
 * The file system side of local (Unix domain) sockets: checks paths, tells a stale socket file from a live one or
 * a user's file, removes socket files, and converts options.
 */
final class LocalPaths {

    private static final System.Logger logger = Loggers.of(LocalPaths.class);

    /**
     * The longest path the JDK takes on Linux: {@code sun_path} holds 108 bytes, and the JDK's native code keeps
     * two of them back (107 bytes fail inside bind and connect with an internal error).
     */
    static final int MAX_PATH_BYTES = 106;

    /** Whether this platform has Unix domain stream sockets, probed once. */
    static final boolean AVAILABLE = probe();

    /** The file type bits of {@code unix:mode}, and those of a socket (S_IFMT, S_IFSOCK). */
    private static final int TYPE_MASK = 0170000;

    private static final int SOCKET_TYPE = 0140000;

    private LocalPaths() {
    }

    private static boolean probe() {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.isOpen();
        }
        catch (IOException | UnsupportedOperationException ex) {
            return false;
        }
    }

    /**
     * The failure of every call where the platform has no Unix domain sockets.
     * @return the error, 2301097
     */
    static BusinessError unavailable() {
        return new BusinessError(BusinessError.ADDRESS_FAMILY_NOT_SUPPORTED,
                "Unix domain sockets are not available on this platform");
    }

    /**
     * Fails a call of a local socket or server where the platform has no Unix domain sockets.
     * @param socket the socket called
     * @param callback the caller's callback
     * @return {@code true} when the call was refused and the caller must return
     */
    static boolean refuseUnavailable(NioSocket socket, AsyncCallback<?> callback) {
        Callbacks.requireCallback(callback);
        if (socket.factory.localSocketsAvailable()) {
            return false;
        }
        socket.fail(callback, unavailable());
        return true;
    }

    /**
     * Checks a path for a call, failing the call with 401 when it is bad.
     * @param socket the socket called
     * @param address the caller's address
     * @param callback receives the failure
     * @return the socket address, or {@code null} when the call has failed
     */
    static UnixDomainSocketAddress parseFor(NioSocket socket, LocalAddress address, AsyncCallback<?> callback) {
        try {
            return parse(address);
        }
        catch (BusinessError ex) {
            socket.fail(callback, ex);
            return null;
        }
    }

    /**
     * Checks a path and makes the channel's address of it.
     * @param address the caller's address
     * @return the socket address
     * @throws BusinessError 401 for a missing, empty or too long path
     */
    static UnixDomainSocketAddress parse(LocalAddress address) {
        if (address == null || address.address() == null) {
            throw Errors.parameter("address must not be null: a LocalAddress names a file system path");
        }
        String path = address.address();
        if (path.isEmpty()) {
            throw Errors.parameter("path '' is empty: a local socket needs a file system path");
        }
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw Errors.parameter("path '" + path + "' is " + bytes + " bytes long; at most " + MAX_PATH_BYTES
                    + " bytes fit a Unix domain socket address");
        }
        try {
            return UnixDomainSocketAddress.of(path);
        }
        catch (RuntimeException ex) {
            throw Errors.parameter("path '" + path + "' is not a valid file system path: " + ex.getMessage());
        }
    }

    /**
     * Returns the address that stands for a path in monitoring.
     * @param path the path
     * @return the address, family {@link Addresses#LOCAL_FAMILY}
     */
    static NetAddress netAddress(String path) {
        return new NetAddress(path, 0, Addresses.LOCAL_FAMILY);
    }

    /**
     * Makes room for a server's socket file: nothing to do when no file exists; a socket file that nobody listens on
     * (its server ended without removing it) is removed; any other file stays, and listen fails.
     * @param address where the server will listen
     * @throws BusinessError 2301098 when the file exists and is not a stale socket file
     * @throws IOException when the file cannot be examined or removed
     */
    static void clearStaleSocket(UnixDomainSocketAddress address) throws IOException {
        Path path = address.getPath();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (NoSuchFileException ex) {
            return;
        }
        if (!isSocket(path, attributes)) {
            // Never deleted: a typo in a path must not cost a user's file.
            throw new BusinessError(BusinessError.ADDRESS_IN_USE, "'" + path + "' exists and is not a socket file");
        }
        if (listening(address)) {
            throw new BusinessError(BusinessError.ADDRESS_IN_USE, "a server listens on '" + path + "' already");
        }
        logger.log(System.Logger.Level.INFO, () -> "Removing stale socket file " + path + ": nobody listens on it");
        Files.deleteIfExists(path);
    }

    private static boolean isSocket(Path path, BasicFileAttributes attributes) throws IOException {
        if (!attributes.isOther()) {
            return false;
        }
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & TYPE_MASK)
                    == SOCKET_TYPE;
        }
        catch (UnsupportedOperationException ex) {
            // No unix view: a special file is then taken for a socket, and the probe below decides.
            return true;
        }
    }

    /**
     * Tells whether a server accepts on a socket file: a non-blocking connect that is refused means nobody does.
     */
    private static boolean listening(UnixDomainSocketAddress address) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            // Connected, or pending on a full backlog: either way a server is there.
            probe.connect(address);
            return true;
        }
        catch (IOException ex) {
            if (Errors.codeOf(ex) == BusinessError.CONNECTION_REFUSED) {
                return false;
            }
            throw ex;
        }
    }

    /**
     * Removes a socket file that this process made, logging rather than throwing a failure: the socket is going
     * away anyway. A file that is no longer a socket (replaced by someone else) stays.
     * @param path the path, may be {@code null}
     */
    static void removeSocketFile(Path path) {
        if (path == null) {
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (isSocket(path, attributes)) {
                Files.deleteIfExists(path);
            }
        }
        catch (NoSuchFileException ex) {
            // Removed by someone else already.
        }
        catch (IOException | RuntimeException ex) {
            logger.log(System.Logger.Level.WARNING, "Cannot remove socket file " + path, ex);
        }
    }

    /**
     * Turns a caller's options into those a stream socket applies: the shared fields without {@code reuseAddress},
     * which a path does not have (a Unix domain channel refuses SO_REUSEADDR).
     * @param options checked options
     * @return the options to apply
     */
    static TCPExtraOptions streamOptions(ExtraOptions options) {
        TCPExtraOptions stream = new TCPExtraOptions();
        stream.setReceiveBufferSize(options.getReceiveBufferSize());
        stream.setSendBufferSize(options.getSendBufferSize());
        stream.setSocketTimeout(options.getSocketTimeout());
        return stream;
    }

    /**
     * Builds the reference's {@code ExtraOptionsBase} from what the channel reports.
     * @param effective the options read back from the channel
     * @return every field set; {@code reuseAddress} is {@code false}, as a path has none
     */
    static ExtraOptions extraOptions(Map<String, Object> effective) {
        ExtraOptions options = new ExtraOptions();
        options.setReceiveBufferSize((Integer) effective.get("receiveBufferSize"));
        options.setSendBufferSize((Integer) effective.get("sendBufferSize"));
        options.setReuseAddress(false);
        Object timeout = effective.get("socketTimeout");
        options.setSocketTimeout((timeout instanceof Number number) ? number.intValue() : null);
        return options;
    }

}
