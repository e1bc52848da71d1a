package dev.netstack.socket.sample;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.MulticastSocket;
import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Announces the sample on a multicast group every {@code sample.multicast.interval} and logs every announcement it
 * hears, its own included: several samples on one group find each other. Off unless
 * {@code sample.multicast.enabled=true}.
 *
 * <p>The socket shares its address ({@code setReuseAddress}), so that every sample on the machine gets every
 * announcement. Where the datagrams go is the starter's {@code socket.multicast.*}: the sample's application.yml keeps
 * them on this machine (interface 127.0.0.1).
 */
@Component
@ConditionalOnBooleanProperty("sample.multicast.enabled")
public class MulticastAnnouncer implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(MulticastAnnouncer.class);

    private static final long TIMEOUT_SECONDS = 10;

    private final SocketFactory socketFactory;

    private final SampleProperties.Multicast properties;

    private final UdpEchoService udpEcho;

    private final AtomicLong sent = new AtomicLong();

    private volatile MulticastSocket socket;

    private volatile NetAddress group;

    private volatile ScheduledExecutorService announcer;

    /**
     * Creates the announcer; it joins the group on {@link #start()}.
     * @param socketFactory the starter's factory bean
     * @param properties the sample's settings
     * @param udpEcho the echo socket whose address the announcements tell
     */
    public MulticastAnnouncer(SocketFactory socketFactory, SampleProperties properties, UdpEchoService udpEcho) {
        this.socketFactory = socketFactory;
        this.properties = properties.getMulticast();
        this.udpEcho = udpEcho;
    }

    /**
     * Joins the group, which binds the socket to the group's port, and starts announcing.
     */
    @Override
    public void start() {
        if (this.properties.getInterval().isNegative() || this.properties.getInterval().isZero()) {
            throw new IllegalStateException("sample.multicast.interval " + this.properties.getInterval()
                    + " must be positive");
        }
        MulticastSocket multicast = this.socketFactory.constructMulticastSocketInstance();
        multicast.setReuseAddress(true);
        NetAddress configured = NetAddresses.of(this.properties.getGroup(), this.properties.getPort());
        try {
            multicast.addMembership(configured).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            int port = multicast.getLocalAddress().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).port();
            this.group = new NetAddress(configured.address(), port, configured.family());
        }
        catch (ExecutionException | TimeoutException ex) {
            multicast.close();
            throw new IllegalStateException("Could not join multicast group " + NetAddresses.describe(configured)
                    + " (sample.multicast.group, sample.multicast.port): " + Failures.describe(ex), ex);
        }
        catch (InterruptedException ex) {
            multicast.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while joining the multicast group", ex);
        }
        // Runs on the socket's event loop: logs and returns, never blocks.
        multicast.on(SocketEventType.MESSAGE, this::heard);
        this.socket = multicast;
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread announcing = new Thread(task, "multicast-announcer");
            // The event loops keep the application alive; this thread need not.
            announcing.setDaemon(true);
            return announcing;
        });
        this.announcer = thread;
        long every = this.properties.getInterval().toMillis();
        thread.scheduleWithFixedDelay(this::announce, 0, every, TimeUnit.MILLISECONDS);
        logger.info("Announcing on multicast group {} every {} ms", NetAddresses.describe(this.group), every);
    }

    private void announce() {
        String text = "socket-sample " + ProcessHandle.current().pid() + " #" + this.sent.incrementAndGet()
                + ": UDP echo on " + NetAddresses.describe(this.udpEcho.localAddress());
        NetAddress to = this.group;
        // The callback form: nothing waits; a failure (say 201 from the access policy) is logged and the next
        // announcement tries again.
        this.socket.send(new UDPSendOptions(text, to), (error, ignored) -> {
            if (error != null) {
                logger.warn("Could not announce on {}: {} ({})", NetAddresses.describe(to), error.getMessage(),
                        error.getCode());
            }
        });
    }

    private void heard(SocketMessageInfo message) {
        logger.info("Heard on {} from {}: '{}'", NetAddresses.describe(this.group),
                NetAddresses.describe(NetAddresses.of(message.remoteInfo())), message.text().strip());
    }

    /**
     * Stops announcing and closes the socket, which leaves the group.
     */
    @Override
    public void stop() {
        ScheduledExecutorService thread = this.announcer;
        this.announcer = null;
        if (thread != null) {
            thread.shutdownNow();
        }
        MulticastSocket multicast = this.socket;
        this.socket = null;
        Closing.close(multicast, "multicast socket", logger);
    }

    @Override
    public boolean isRunning() {
        return this.socket != null;
    }

    /**
     * Returns the group the announcements go to, with the port the socket is bound to.
     * @return the group, or {@code null} before start
     */
    public NetAddress group() {
        return this.group;
    }

}
