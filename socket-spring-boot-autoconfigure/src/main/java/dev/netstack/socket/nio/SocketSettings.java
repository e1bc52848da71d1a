package dev.netstack.socket.nio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.nio.tls.TlsDefaults;

/**
 * How a {@link NioSocketFactory} is set up. Immutable; made by {@link #builder()}.
 *
 * @param ioThreads the number of event loop threads
 * @param threadNamePrefix the prefix of their names, followed by 1, 2, ...
 * @param udpDefaults options applied to every UDP socket when its channel is opened, before bind
 * @param tcpDefaults options applied to every TCP socket when its channel is opened, before bind or connect
 * @param multicastDefaults the interface, TTL and loopback mode of every multicast socket
 * @param connectTimeout the connect timeout used when {@code TCPConnectOptions.timeout} is 0
 * @param sendTimeout how long a send may wait for the kernel when no {@code socketTimeout} is set
 * @param sendQueueLimit the most that the accepted sends of one TCP socket may hold in memory
 * @param udpSendQueueLimit the most that the accepted sends of one UDP socket may hold in memory
 * @param shutdownTimeout how long {@link NioSocketFactory#close()} waits for sockets to flush
 * @param accessPolicy which remote addresses the sockets may talk to ({@code null}: every address)
 * @param maxConnections the most connections one server keeps open at once
 * @param tlsHandshakeTimeout the handshake timeout used when {@code TLSConnectOptions.timeout} is 0
 * @param tlsDefaults the secure options of a TLS connect or listen that gives none ({@code null}: such a call is
 * 401)
 * @param observers hooks that see every socket's events
 */
public record SocketSettings(int ioThreads, String threadNamePrefix, UDPExtraOptions udpDefaults,
        TCPExtraOptions tcpDefaults, MulticastDefaults multicastDefaults, Duration connectTimeout, Duration sendTimeout,
        long sendQueueLimit, long udpSendQueueLimit, Duration shutdownTimeout, AccessPolicy accessPolicy,
        int maxConnections, Duration tlsHandshakeTimeout, TlsDefaults tlsDefaults, List<SocketObserver> observers) {

    /** The connect timeout when none is given: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** How long a send may wait for the kernel when no {@code socketTimeout} is set: 20 s, as the reference. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(20);

    /** The send queue limit per TCP socket: 16 MiB. */
    public static final long DEFAULT_SEND_QUEUE_LIMIT = 16L * 1024 * 1024;

    /**
     * The send queue limit per UDP socket: 4 MiB. The kernel takes a datagram at once unless its buffer is full, so
     * a UDP queue only grows while a caller sends faster than the loop or the kernel can take.
     */
    public static final long DEFAULT_UDP_SEND_QUEUE_LIMIT = 4L * 1024 * 1024;

    /** How long closing the factory waits for sockets to flush: 10 s. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** The most connections one server keeps open at once: 10,000. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** The TLS handshake timeout when none is given: 10 s (the reference waits for ever). */
    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Checks the settings.
     * @throws IllegalArgumentException naming the bad value
     */
    public SocketSettings {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads " + ioThreads + " must be at least 1");
        }
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        udpDefaults = (udpDefaults != null) ? new UDPExtraOptions().merge(udpDefaults) : new UDPExtraOptions();
        tcpDefaults = (tcpDefaults != null) ? new TCPExtraOptions().merge(tcpDefaults) : new TCPExtraOptions();
        multicastDefaults = (multicastDefaults != null) ? multicastDefaults : MulticastDefaults.none();
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("sendTimeout", sendTimeout);
        requirePositive("shutdownTimeout", shutdownTimeout);
        requirePositive("tlsHandshakeTimeout", tlsHandshakeTimeout);
        requirePositive("sendQueueLimit", sendQueueLimit);
        requirePositive("udpSendQueueLimit", udpSendQueueLimit);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + " must be at least 1");
        }
        ExtraOptionsSupport.validateDefaults(udpDefaults);
        ExtraOptionsSupport.validateDefaults(tcpDefaults);
        accessPolicy = (accessPolicy != null) ? accessPolicy : AccessPolicy.allowAll();
        observers = List.copyOf(observers);
    }

    private static void requirePositive(String name, long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException(name + " " + bytes + " must be at least 1 byte");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " " + value + " must be positive");
        }
    }

    /**
     * Returns the settings with every default.
     * @return the defaults
     */
    public static SocketSettings defaults() {
        return builder().build();
    }

    /**
     * Starts from the defaults.
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link SocketSettings}.
     */
    public static final class Builder {

        private int ioThreads = Runtime.getRuntime().availableProcessors();

        private String threadNamePrefix = "socket-io-";

        private UDPExtraOptions udpDefaults;

        private TCPExtraOptions tcpDefaults;

        private MulticastDefaults multicastDefaults;

        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

        private long sendQueueLimit = DEFAULT_SEND_QUEUE_LIMIT;

        private long udpSendQueueLimit = DEFAULT_UDP_SEND_QUEUE_LIMIT;

        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private AccessPolicy accessPolicy = AccessPolicy.allowAll();

        private int maxConnections = DEFAULT_MAX_CONNECTIONS;

        private Duration tlsHandshakeTimeout = DEFAULT_TLS_HANDSHAKE_TIMEOUT;

        private TlsDefaults tlsDefaults;

        private final List<SocketObserver> observers = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the number of event loop threads (default: available processors).
         * @param ioThreads at least 1
         * @return this builder
         */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Sets the prefix of the event loop threads' names (default {@code socket-io-}).
         * @param threadNamePrefix the prefix
         * @return this builder
         */
        public Builder threadNamePrefix(String threadNamePrefix) {
            this.threadNamePrefix = threadNamePrefix;
            return this;
        }

        /**
         * Sets the options applied to every UDP socket before bind.
         * @param udpDefaults the options; {@code null} fields are not applied
         * @return this builder
         */
        public Builder udpDefaults(UDPExtraOptions udpDefaults) {
            this.udpDefaults = udpDefaults;
            return this;
        }

        /**
         * Sets the options applied to every TCP socket before bind or connect.
         * @param tcpDefaults the options; {@code null} fields are not applied
         * @return this builder
         */
        public Builder tcpDefaults(TCPExtraOptions tcpDefaults) {
            this.tcpDefaults = tcpDefaults;
            return this;
        }

        /**
         * Sets the interface, TTL and loopback mode that every multicast socket starts with.
         * @param multicastDefaults the defaults; {@code null} fields are not applied
         * @return this builder
         */
        public Builder multicastDefaults(MulticastDefaults multicastDefaults) {
            this.multicastDefaults = multicastDefaults;
            return this;
        }

        /**
         * Sets the connect timeout used when a connect gives none (default 5 s).
         * @param connectTimeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets how long a send may wait for the kernel when no {@code socketTimeout} is set (default 20 s).
         * @param sendTimeout a positive duration
         * @return this builder
         */
        public Builder sendTimeout(Duration sendTimeout) {
            this.sendTimeout = sendTimeout;
            return this;
        }

        /**
         * Sets the most that the accepted sends of one TCP socket may hold in memory (default 16 MiB): their bytes
         * plus a small constant per send. Past it a send fails with 2301105.
         * @param sendQueueLimit at least 1
         * @return this builder
         */
        public Builder sendQueueLimit(long sendQueueLimit) {
            this.sendQueueLimit = sendQueueLimit;
            return this;
        }

        /**
         * Sets the most that the accepted sends of one UDP socket may hold in memory (default 4 MiB), counted as
         * for {@link #sendQueueLimit(long)}. Past it a send fails with 2301105.
         * @param udpSendQueueLimit at least 1
         * @return this builder
         */
        public Builder udpSendQueueLimit(long udpSendQueueLimit) {
            this.udpSendQueueLimit = udpSendQueueLimit;
            return this;
        }

        /**
         * Sets how long closing the factory waits for its sockets to flush (default 10 s).
         * @param shutdownTimeout a positive duration
         * @return this builder
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /**
         * Sets which remote addresses the sockets may talk to (default: every address). A denied destination fails
         * its send or connect with 201; a datagram from a denied source is dropped and counted.
         * @param accessPolicy the policy, {@code null} for every address
         * @return this builder
         */
        public Builder accessPolicy(AccessPolicy accessPolicy) {
            this.accessPolicy = accessPolicy;
            return this;
        }

        /**
         * Sets the most connections one server keeps open at once (default 10,000); past it a new connection is
         * reset and counted.
         * @param maxConnections at least 1
         * @return this builder
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Sets the TLS handshake timeout used when {@code TLSConnectOptions.timeout} is 0 (default 10 s).
         * @param tlsHandshakeTimeout positive
         * @return this builder
         */
        public Builder tlsHandshakeTimeout(Duration tlsHandshakeTimeout) {
            this.tlsHandshakeTimeout = tlsHandshakeTimeout;
            return this;
        }

        /**
         * Sets the secure options of a TLS connect or listen that gives none (default none: such a call is 401).
         * @param tlsDefaults the source, or {@code null}
         * @return this builder
         */
        public Builder tlsDefaults(TlsDefaults tlsDefaults) {
            this.tlsDefaults = tlsDefaults;
            return this;
        }

        /**
         * Adds a hook that sees every socket's events.
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(SocketObserver observer) {
            this.observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * Builds the settings.
         * @return the settings
         * @throws IllegalArgumentException naming a bad value
         */
        public SocketSettings build() {
            return new SocketSettings(this.ioThreads, this.threadNamePrefix, this.udpDefaults, this.tcpDefaults,
                    this.multicastDefaults, this.connectTimeout, this.sendTimeout, this.sendQueueLimit,
                    this.udpSendQueueLimit, this.shutdownTimeout, this.accessPolicy, this.maxConnections,
                    this.tlsHandshakeTimeout, this.tlsDefaults, this.observers);
        }

    }

}
