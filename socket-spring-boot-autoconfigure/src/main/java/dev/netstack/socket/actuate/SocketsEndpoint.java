package dev.netstack.socket.actuate;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;
import dev.netstack.socket.SocketStateBase;
import dev.netstack.socket.X509CertRawData;
import dev.netstack.socket.nio.NioServerSocket;
import dev.netstack.socket.nio.NioMulticastSocket;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.nio.tls.TlsSessionInfo;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code sockets} endpoint: every open socket of a {@link NioSocketFactory}, with its state, addresses, byte
 * counts, the socket options read back from its channel, for a multicast socket its groups and for a TLS socket its
 * session (version, suite, the subject of the peer's certificate). Never any payload, nor any key material.
 *
 * <p>Options are read on each socket's event loop; the endpoint waits for all of them at once, for at most the
 * options timeout, so that a stuck loop makes the answer incomplete ({@code options} is {@code null}) rather than
 * late.
 */
@Endpoint(id = "sockets")
public class SocketsEndpoint {

    /** How long a request waits for the event loops to read the socket options back. */
    public static final Duration DEFAULT_OPTIONS_TIMEOUT = Duration.ofMillis(500);

    private final NioSocketFactory factory;

    private final Duration optionsTimeout;

    /**
     * Creates the endpoint with the default options timeout.
     * @param factory the factory whose sockets it shows
     */
    public SocketsEndpoint(NioSocketFactory factory) {
        this(factory, DEFAULT_OPTIONS_TIMEOUT);
    }

    /**
     * Creates the endpoint.
     * @param factory the factory whose sockets it shows
     * @param optionsTimeout how long a request waits for the socket options
     */
    public SocketsEndpoint(NioSocketFactory factory, Duration optionsTimeout) {
        this.factory = factory;
        this.optionsTimeout = optionsTimeout;
    }

    /**
     * Describes every open socket, by id.
     * @return the sockets
     */
    @ReadOperation
    public SocketsDescriptor sockets() {
        List<NioSocket> open = this.factory.sockets()
            .stream()
            .sorted(Comparator.comparingLong(NioSocket::id))
            .toList();
        // Ask every loop first, then wait once: the wait is bounded by one timeout, not one per socket.
        List<CompletableFuture<Map<String, Object>>> options = open.stream().map(NioSocket::effectiveOptions).toList();
        long deadline = System.nanoTime() + this.optionsTimeout.toNanos();
        List<SocketDescriptor> sockets = new ArrayList<>(open.size());
        for (int i = 0; i < open.size(); i++) {
            sockets.add(describe(open.get(i), options.get(i), deadline));
        }
        return new SocketsDescriptor(sockets);
    }

    /**
     * Describes one open socket.
     * @param id the socket's id
     * @return the socket, or {@code null} (404) when no open socket has that id
     */
    @ReadOperation
    public SocketDescriptor socket(@Selector long id) {
        for (NioSocket socket : this.factory.sockets()) {
            if (socket.id() == id) {
                return describe(socket, socket.effectiveOptions(), System.nanoTime() + this.optionsTimeout.toNanos());
            }
        }
        return null;
    }

    private static SocketDescriptor describe(NioSocket socket, CompletableFuture<Map<String, Object>> options,
            long deadline) {
        NioSocket server = socket.server();
        Integer connections = (socket instanceof NioServerSocket<?> listening) ? listening.connections().size() : null;
        String kind = (connections != null) ? "server" : (server != null) ? "connection" : "socket";
        return new SocketDescriptor(socket.id(), socket.protocol().tag(), socket.state(), socket.localAddress(),
                socket.remoteAddress(), socket.bytesReceived(), socket.bytesSent(), socket.pendingBytes(),
                socket.openedAt(), await(options, deadline), kind, socket.name(),
                (server != null) ? server.id() : null, connections,
                (socket instanceof NioMulticastSocket multicast) ? multicast.groups() : null,
                TlsDescriptor.of(socket.tlsSession()));
    }

    private static Map<String, Object> await(CompletableFuture<Map<String, Object>> options, long deadline) {
        try {
            return options.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (Exception ex) {
            // Not read in time (a stuck loop) or the loop stopped: say "unknown" rather than guess.
            return null;
        }
    }

    /**
     * The open sockets.
     * @param sockets the sockets, by id
     */
    public record SocketsDescriptor(List<SocketDescriptor> sockets) implements OperationResponseBody {
    }

    /**
     * One open socket.
     * @param id the socket's number, as in its application events
     * @param protocol {@code udp}, {@code tcp} or {@code tls}
     * @param state whether it is bound, closed, connected
     * @param localAddress the local address, or {@code null} before bind
     * @param remoteAddress the peer of a connected TCP socket, else {@code null}
     * @param bytesReceived the bytes received so far
     * @param bytesSent the bytes handed to the kernel so far
     * @param pendingBytes the bytes accepted by send and not yet handed to the kernel
     * @param openedAt when the socket was made
     * @param options the socket options read back from the channel, named as the API's fields; empty before a
     * channel is open, {@code null} when the event loop did not answer in time
     * @param kind {@code socket} (made by the application), {@code server}, or {@code connection} (accepted by a
     * server)
     * @param name the declared server's name, for the server and its connections; else {@code null}
     * @param server the id of the server that accepted a connection; else {@code null}
     * @param connections the open connections of a server; else {@code null}
     * @param groups the multicast groups a multicast socket is a member of, each with its local port; {@code null} for
     * every other socket
     * @param tls the session of a TLS socket or connection once its handshake is done; else {@code null}
     */
    public record SocketDescriptor(long id, String protocol, SocketStateBase state, NetAddress localAddress,
            NetAddress remoteAddress, long bytesReceived, long bytesSent, long pendingBytes, Instant openedAt,
            Map<String, Object> options, String kind, String name, Long server, Integer connections,
            List<NetAddress> groups, TlsDescriptor tls) implements OperationResponseBody {
    }

    /**
     * The session of a TLS socket: what was negotiated and whom the peer's certificate names. Never key material,
     * nor the certificate itself.
     * @param protocol the negotiated version, e.g. {@code TLSv1.3}
     * @param cipherSuite the negotiated suite by its JDK (IANA) name
     * @param peerCertificateSubject the subject of the peer's certificate (RFC 2253), or {@code null} when the peer
     * sent none
     */
    public record TlsDescriptor(String protocol, String cipherSuite, String peerCertificateSubject) {

        static TlsDescriptor of(TlsSessionInfo session) {
            if (session == null) {
                return null;
            }
            X509CertRawData peer = session.peerCertificate();
            return new TlsDescriptor(session.protocol(), session.cipherSuite(), (peer != null) ? subject(peer) : null);
        }

        private static String subject(X509CertRawData certificate) {
            try {
                X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate.data()));
                return parsed.getSubjectX500Principal().getName();
            }
            catch (CertificateException ex) {
                // The engine took it from a finished handshake, so this does not happen; say so rather than fail.
                return "unreadable certificate";
            }
        }

    }

}
