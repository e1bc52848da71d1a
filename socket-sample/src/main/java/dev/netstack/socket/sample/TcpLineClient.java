package dev.netstack.socket.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.Framing;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.TCPConnectOptions;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocket;
import dev.netstack.socket.TCPSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A TCP client that connects to {@code sample.tcp.peer}, sends a line ({@code "ping 1"}, {@code "ping 2"}, …) on
 * connect and then every {@code sample.tcp.interval}, and reads the answers line by line. When the peer is absent or
 * goes away it logs why and tries again after a back-off ({@code sample.tcp.reconnect.*}); the application keeps
 * running whatever the peer does.
 *
 * <p>Each attempt uses a new socket: a connection that the peer closed is over (its socket emitted 'close'), and a
 * socket whose connect failed is closed here rather than kept, so the {@code sockets} endpoint and the
 * {@code socket.active} gauge show only the current attempt.
 */
@Component
public class TcpLineClient implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(TcpLineClient.class);

    private static final int MAX_LINE_BYTES = 4096;

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final SocketFactory socketFactory;

    private final SampleProperties.Tcp properties;

    private final ObjectProvider<TCPSocketServer> lineServer;

    private final Backoff backoff;

    /**
     * The client's own thread. The fields below it are used on that thread only, so they need no lock: socket
     * callbacks run on an event loop and hand their work over with {@link #onClientThread}.
     */
    private volatile ScheduledExecutorService clientThread;

    private TCPSocket socket;

    private ScheduledFuture<?> pending;

    private long linesSent;

    private volatile boolean running;

    /**
     * Creates the client; it connects from {@link #start()}.
     * @param socketFactory the starter's factory bean
     * @param properties the sample's settings
     * @param lineServer the sample's line server, the declared server {@code socket.servers.lines}: the default peer
     */
    public TcpLineClient(SocketFactory socketFactory, SampleProperties properties,
            @Qualifier(LineServerReplies.SERVER) ObjectProvider<TCPSocketServer> lineServer) {
        this.socketFactory = socketFactory;
        this.properties = properties.getTcp();
        this.lineServer = lineServer;
        this.backoff = new Backoff(this.properties.getReconnect().getInitialDelay(),
                this.properties.getReconnect().getMaxDelay());
        if (this.properties.getInterval().isNegative() || this.properties.getInterval().isZero()) {
            throw new IllegalStateException("sample.tcp.interval " + this.properties.getInterval()
                    + " must be positive");
        }
    }

    /**
     * Starts connecting, in the background: an absent peer never delays or fails the application's start.
     */
    @Override
    public void start() {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread client = new Thread(task, "tcp-line-client");
            // The event loops keep the application alive; this thread need not.
            client.setDaemon(true);
            return client;
        });
        this.clientThread = thread;
        this.running = true;
        thread.execute(guarded(this::connect));
    }

    private void connect() {
        if (!this.running) {
            return;
        }
        NetAddress peer = peer();
        TCPSocket attempt = this.socketFactory.constructTCPSocketInstance();
        this.socket = attempt;
        // TCP delivers chunks, not lines: the framing makes each 'message' one whole line, however the bytes arrive.
        attempt.setFraming(Framing.lines(MAX_LINE_BYTES));
        // Runs on the socket's event loop, one message at a time. It must not block.
        attempt.on(SocketEventType.MESSAGE, (line) -> logger.debug("{} answered '{}'", NetAddresses.describe(peer),
                line.text()));
        attempt.on(SocketEventType.CLOSE, (ignored) -> onClientThread(() -> closed(attempt, peer)));
        logger.info("Connecting to {}", NetAddresses.describe(peer));
        attempt.connect(new TCPConnectOptions(peer)).whenComplete((ignored, failure) -> onClientThread(() -> {
            if (failure == null) {
                connected(attempt, peer);
            }
            else {
                connectFailed(attempt, peer, failure);
            }
        }));
    }

    private void connected(TCPSocket attempt, NetAddress peer) {
        if (attempt != this.socket) {
            // stop() came first and closes it.
            return;
        }
        this.backoff.reset();
        Duration interval = this.properties.getInterval();
        logger.info("Connected to {}; sending a line now and every {}", NetAddresses.describe(peer), describe(interval));
        this.pending = this.clientThread.scheduleWithFixedDelay(guarded(() -> sendLine(attempt)), 0,
                interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendLine(TCPSocket connection) {
        if (connection != this.socket) {
            return;
        }
        String line = "ping " + (++this.linesSent);
        logger.debug("Sending '{}'", line);
        connection.send(new TCPSendOptions(line + "\n")).whenComplete((ignored, failure) -> {
            if (failure != null) {
                // The connection is failing: its 'close' follows, and with it the next attempt.
                logger.info("A line was not sent: {}", Failures.describe(failure));
            }
        });
    }

    private void connectFailed(TCPSocket attempt, NetAddress peer, Throwable failure) {
        if (attempt != this.socket) {
            return;
        }
        // Forget it first, so that the 'close' it emits now is not taken for a lost connection.
        this.socket = null;
        attempt.close();
        Duration delay = this.backoff.next();
        logger.info("Could not connect to {}: {}; next attempt in {}", NetAddresses.describe(peer),
                Failures.describe(failure), describe(delay));
        this.pending = this.clientThread.schedule(guarded(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closed(TCPSocket connection, NetAddress peer) {
        if (connection != this.socket) {
            return;
        }
        this.socket = null;
        cancelPending();
        Duration delay = this.backoff.next();
        logger.info("Connection to {} closed; reconnecting in {}", NetAddresses.describe(peer), describe(delay));
        this.pending = this.clientThread.schedule(guarded(this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops reconnecting and closes the connection; lines already accepted are sent first.
     */
    @Override
    public void stop() {
        this.running = false;
        ScheduledExecutorService thread = this.clientThread;
        if (thread == null) {
            return;
        }
        try {
            CompletableFuture<Void> closed = thread.submit(() -> {
                cancelPending();
                TCPSocket connection = this.socket;
                this.socket = null;
                return (connection != null) ? connection.close() : CompletableFuture.<Void>completedFuture(null);
            }).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            closed.get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("Closing the TCP client failed: {}", Failures.describe(ex));
        }
        finally {
            thread.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    private NetAddress peer() {
        SampleProperties.Peer peer = this.properties.getPeer();
        int port = peer.getPort();
        if (port == 0) {
            TCPSocketServer server = this.lineServer.getIfAvailable();
            if (server == null) {
                throw new IllegalStateException("sample.tcp.peer.port is 0, which means the sample's own line server, "
                        + "but socket.servers." + LineServerReplies.SERVER + " is not declared: set sample.tcp.peer.port");
            }
            // Listening since the context started: declared servers start before this client.
            port = server.getLocalAddress().join().port();
        }
        return NetAddresses.of(peer.getAddress(), port);
    }

    private void cancelPending() {
        if (this.pending != null) {
            this.pending.cancel(false);
            this.pending = null;
        }
    }

    private static String describe(Duration duration) {
        return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /** Runs work of a socket callback on the client's thread; after stop there is nothing left to do. */
    private void onClientThread(Runnable task) {
        try {
            this.clientThread.execute(guarded(task));
        }
        catch (RejectedExecutionException ex) {
            // Stopped.
        }
    }

    /**
     * Logs what a task throws: an executor would keep it in a future nobody reads, and a repeated task would stop
     * repeating without a word.
     */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            }
            catch (RuntimeException ex) {
                logger.warn("TCP client task failed; the client goes on", ex);
            }
        };
    }

}
