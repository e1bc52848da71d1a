package dev.netstack.socket.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A small TCP line server on {@code sample.tcp.server.address:port} that answers every line with
 * {@code "echo: "} and the line: the peer of {@link TcpLineClient} out of the box, and something to try with
 * {@code nc 127.0.0.1 9998}.
 *
 * <p>Written with the plain JDK (blocking {@link ServerSocketChannel}, one thread per connection), not with the
 * starter: it stands for "some other program on the network", so the client talks to a peer that does not share its
 * code. At most {@value #MAX_CONNECTIONS} connections at once; more are closed at once.
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.tcp.server.enabled", matchIfMissing = true)
public class TcpLineServer implements SmartLifecycle {

    /** Starts before the client (lower phases start first) and stops after it, so the client never sees it go. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1;

    private static final Logger logger = LoggerFactory.getLogger(TcpLineServer.class);

    private static final int MAX_CONNECTIONS = 16;

    private static final int MAX_LINE_BYTES = 4096;

    private static final byte[] PREFIX = "echo: ".getBytes(StandardCharsets.US_ASCII);

    private final SampleProperties.Server properties;

    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    private volatile ServerSocketChannel server;

    private volatile int localPort;

    private Thread acceptor;

    /**
     * Creates the server; it listens from {@link #start()}.
     * @param properties the sample's settings
     */
    public TcpLineServer(SampleProperties properties) {
        this.properties = properties.getTcp().getServer();
    }

    /**
     * Starts listening. A port that is taken stops the application here.
     */
    @Override
    public synchronized void start() {
        ServerSocketChannel channel = listen();
        this.server = channel;
        this.acceptor = new Thread(() -> accept(channel), "line-server-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
        logger.info("Line server answers on {}:{}: try 'nc {} {}'", this.properties.getAddress(), this.localPort,
                this.properties.getAddress(), this.localPort);
    }

    private ServerSocketChannel listen() {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getByName(this.properties.getAddress()),
                    this.properties.getPort()));
            this.localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            return channel;
        }
        catch (IOException ex) {
            closeQuietly(channel);
            throw new IllegalStateException("Could not listen on " + this.properties.getAddress() + ":"
                    + this.properties.getPort() + " (sample.tcp.server.address, sample.tcp.server.port): " + ex, ex);
        }
    }

    private void accept(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            SocketChannel connection;
            try {
                connection = channel.accept();
            }
            catch (ClosedChannelException ex) {
                // stop() closed it.
                return;
            }
            catch (IOException ex) {
                logger.warn("Line server could not accept a connection: {}", ex.toString());
                continue;
            }
            if (this.connections.size() >= MAX_CONNECTIONS) {
                logger.info("Line server has {} connections already; closing a new one", MAX_CONNECTIONS);
                closeQuietly(connection);
                continue;
            }
            this.connections.add(connection);
            Thread handler = new Thread(() -> serve(connection), "line-server-connection");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void serve(SocketChannel connection) {
        String peer = peer(connection);
        logger.info("Line server: {} connected", peer);
        LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
        ByteBuffer input = ByteBuffer.allocate(MAX_LINE_BYTES);
        try (connection) {
            while (connection.read(input) >= 0) {
                input.flip();
                for (String line : decoder.decode(input)) {
                    logger.debug("Line server: {} sent '{}'", peer, line);
                    answer(connection, line);
                }
                input.clear();
            }
            logger.info("Line server: {} disconnected", peer);
        }
        catch (IOException ex) {
            // Also how stop() ends this thread: it closes the channel under the read.
            logger.info("Line server: connection of {} ended: {}", peer, ex.toString());
        }
        finally {
            this.connections.remove(connection);
        }
    }

    private static void answer(SocketChannel connection, String line) throws IOException {
        byte[] text = line.getBytes(StandardCharsets.UTF_8);
        ByteBuffer reply = ByteBuffer.allocate(PREFIX.length + text.length + 1);
        reply.put(PREFIX).put(text).put((byte) '\n').flip();
        while (reply.hasRemaining()) {
            connection.write(reply);
        }
    }

    /**
     * Stops listening and closes every connection.
     */
    @Override
    public synchronized void stop() {
        ServerSocketChannel channel = this.server;
        this.server = null;
        if (channel == null) {
            return;
        }
        closeQuietly(channel);
        this.connections.forEach(TcpLineServer::closeQuietly);
        try {
            this.acceptor.join(5000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        logger.info("Line server stopped");
    }

    @Override
    public boolean isRunning() {
        return this.server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Returns the port the server listens on: with {@code sample.tcp.server.port=0}, the port the system picked.
     * @return the port, or 0 before start
     */
    public int localPort() {
        return this.localPort;
    }

    private static String peer(SocketChannel connection) {
        try {
            InetSocketAddress remote = (InetSocketAddress) connection.getRemoteAddress();
            return remote.getAddress().getHostAddress() + ":" + remote.getPort();
        }
        catch (IOException ex) {
            return "a peer";
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // Closing: nothing left to do with it.
            }
        }
    }

}
