package dev.netstack.socket.sample;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketEventType;
import dev.netstack.socket.SocketFactory;
import dev.netstack.socket.SocketMessageInfo;
import dev.netstack.socket.UDPSendOptions;
import dev.netstack.socket.UDPSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A UDP socket bound to {@code sample.udp.address:port} that answers every datagram with {@code "ack: "} followed
 * by the datagram's bytes, to the port it came from. Try it with {@code nc -u 127.0.0.1 9999}.
 *
 * <p>The answer is sent from an {@code on('message')} callback: it runs on the socket's event loop, and a send only
 * queues the datagram, so it never blocks the loop. Logging is left to {@link SocketEventLogger}, which receives the
 * same datagrams as application events.
 */
@Component
public class UdpEchoService implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(UdpEchoService.class);

    private static final byte[] PREFIX = "ack: ".getBytes(StandardCharsets.US_ASCII);

    private static final long TIMEOUT_SECONDS = 10;

    private final SocketFactory socketFactory;

    private final SampleProperties.Udp properties;

    private volatile UDPSocket socket;

    private volatile NetAddress localAddress;

    /**
     * Creates the service; the socket is bound on {@link #start()}.
     * @param socketFactory the starter's factory bean
     * @param properties the sample's settings
     */
    public UdpEchoService(SocketFactory socketFactory, SampleProperties properties) {
        this.socketFactory = socketFactory;
        this.properties = properties.getUdp();
    }

    /**
     * Binds the socket. A port that is taken stops the application here, with the address and the error code.
     */
    @Override
    public void start() {
        UDPSocket udp = this.socketFactory.constructUDPSocketInstance();
        udp.on(SocketEventType.MESSAGE, (message) -> answer(udp, message));
        NetAddress address = NetAddresses.of(this.properties.getAddress(), this.properties.getPort());
        try {
            udp.bind(address).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            this.localAddress = udp.getLocalAddress().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            udp.close();
            throw new IllegalStateException("Could not bind the UDP echo socket to " + NetAddresses.describe(address)
                    + " (sample.udp.address, sample.udp.port): " + Failures.describe(ex), ex);
        }
        catch (InterruptedException ex) {
            udp.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while binding the UDP echo socket", ex);
        }
        this.socket = udp;
        int port = this.localAddress.port();
        logger.info("UDP echo answers on {}: try 'nc -u {} {}'", NetAddresses.describe(this.localAddress),
                this.localAddress.address(), port);
    }

    private void answer(UDPSocket udp, SocketMessageInfo message) {
        byte[] received = message.bytes();
        byte[] reply = new byte[PREFIX.length + received.length];
        System.arraycopy(PREFIX, 0, reply, 0, PREFIX.length);
        System.arraycopy(received, 0, reply, PREFIX.length, received.length);
        NetAddress sender = NetAddresses.of(message.remoteInfo());
        // The callback form: nothing waits for the send; a failure (say a datagram too long to answer, 2301090)
        // is logged and the socket goes on.
        udp.send(new UDPSendOptions(reply, sender), (error, ignored) -> {
            if (error != null) {
                logger.warn("Could not answer {}: {} ({})", NetAddresses.describe(sender), error.getMessage(),
                        error.getCode());
            }
        });
    }

    /**
     * Closes the socket; datagrams already accepted are sent first.
     */
    @Override
    public void stop() {
        UDPSocket udp = this.socket;
        this.socket = null;
        Closing.close(udp, "UDP echo socket", logger);
    }

    @Override
    public boolean isRunning() {
        return this.socket != null;
    }

    /**
     * Returns the address the socket is bound to: with {@code sample.udp.port=0}, the port the system picked.
     * @return the address, or {@code null} before start
     */
    public NetAddress localAddress() {
        return this.localAddress;
    }

}
