package dev.netstack.socket.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the socket starter, prefix {@code socket}.
 *
 * <p>Data only: {@link SocketSettingsMapper} checks the values and maps them to the engine's settings. An extra
 * option left unset is not applied, so the seed's and the operating system's defaults stay in force.
 *
 * <p>A key under {@code socket} that no field here binds is a typo ({@code socket.tcp.conect-timeout}): it stops the
 * start, and Boot's failure analysis names it, rather than leaving the default silently in force. Environment
 * variables and system properties are exempt (Boot never checks them), so an unrelated {@code SOCKET_…} variable is
 * harmless.
 */
@ConfigurationProperties(prefix = "socket", ignoreUnknownFields = false)
public class SocketProperties {

    /**
     * Whether to auto-configure the socket factory, its events, meters, health indicator and endpoint.
     */
    private boolean enabled = true;

    /**
     * Number of event loop threads. Defaults to the number of available processors.
     */
    private int ioThreads = Runtime.getRuntime().availableProcessors();

    /**
     * Maximum time to wait on shutdown for the sockets to flush the sends they accepted and for the event loop
     * threads to end.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    private final Udp udp = new Udp();

    private final Tcp tcp = new Tcp();

    private final Multicast multicast = new Multicast();

    private final Events events = new Events();

    private final Health health = new Health();

    private final Access access = new Access();

    private final Server server = new Server();

    private final Tls tls = new Tls();

    /**
     * Servers that listen while the application runs, by name: protocol tcp (address and port) or local (path of
     * the socket file). Each is a bean of that name, and its events and meters carry the name.
     */
    private final Map<String, DeclaredServerProperties> servers = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getIoThreads() {
        return this.ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public Duration getShutdownTimeout() {
        return this.shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public Udp getUdp() {
        return this.udp;
    }

    public Tcp getTcp() {
        return this.tcp;
    }

    public Multicast getMulticast() {
        return this.multicast;
    }

    public Events getEvents() {
        return this.events;
    }

    public Health getHealth() {
        return this.health;
    }

    public Access getAccess() {
        return this.access;
    }

    public Server getServer() {
        return this.server;
    }

    public Tls getTls() {
        return this.tls;
    }

    public Map<String, DeclaredServerProperties> getServers() {
        return this.servers;
    }

    /**
     * UDP settings.
     */
    public static class Udp {

        /**
         * Maximum memory the sends one socket accepted and has not completed may hold: their bytes plus a small
         * constant per send. Past it, a send fails with 2301105.
         */
        private DataSize sendQueueLimit = DataSize.ofMegabytes(4);

        private final UdpExtraOptions extraOptions = new UdpExtraOptions();

        public DataSize getSendQueueLimit() {
            return this.sendQueueLimit;
        }

        public void setSendQueueLimit(DataSize sendQueueLimit) {
            this.sendQueueLimit = sendQueueLimit;
        }

        public UdpExtraOptions getExtraOptions() {
            return this.extraOptions;
        }

    }

    /**
     * TCP settings.
     */
    public static class Tcp {

        /**
         * Connect timeout used when a connect call gives none (timeout 0 or absent).
         */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /**
         * Maximum memory the sends one socket accepted and has not completed may hold: their bytes plus a small
         * constant per send. Past it, a send fails with 2301105.
         */
        private DataSize sendQueueLimit = DataSize.ofMegabytes(16);

        private final TcpExtraOptions extraOptions = new TcpExtraOptions();

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public DataSize getSendQueueLimit() {
            return this.sendQueueLimit;
        }

        public void setSendQueueLimit(DataSize sendQueueLimit) {
            this.sendQueueLimit = sendQueueLimit;
        }

        public TcpExtraOptions getExtraOptions() {
            return this.extraOptions;
        }

    }

    /**
     * Options applied to every socket of one protocol when its channel is opened, before bind or connect.
     */
    public abstract static class ExtraOptions {

        /**
         * Size of the receive buffer (SO_RCVBUF). The kernel may round it. Unset keeps the system default.
         */
        private DataSize receiveBufferSize;

        /**
         * Size of the send buffer (SO_SNDBUF). The kernel may round it. Unset keeps the system default.
         */
        private DataSize sendBufferSize;

        /**
         * Whether the local address may be bound while a previous socket on it lingers (SO_REUSEADDR).
         */
        private Boolean reuseAddress;

        /**
         * Maximum time a send may wait for the kernel to take its bytes before it fails with 2301110. A bare
         * number is in milliseconds, as in the API. Unset or 0 means 20 seconds.
         */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration socketTimeout;

        public DataSize getReceiveBufferSize() {
            return this.receiveBufferSize;
        }

        public void setReceiveBufferSize(DataSize receiveBufferSize) {
            this.receiveBufferSize = receiveBufferSize;
        }

        public DataSize getSendBufferSize() {
            return this.sendBufferSize;
        }

        public void setSendBufferSize(DataSize sendBufferSize) {
            this.sendBufferSize = sendBufferSize;
        }

        public Boolean getReuseAddress() {
            return this.reuseAddress;
        }

        public void setReuseAddress(Boolean reuseAddress) {
            this.reuseAddress = reuseAddress;
        }

        public Duration getSocketTimeout() {
            return this.socketTimeout;
        }

        public void setSocketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
        }

    }

    /**
     * Extra options of UDP sockets.
     */
    public static class UdpExtraOptions extends ExtraOptions {

        /**
         * Whether datagrams may be sent to broadcast addresses (SO_BROADCAST).
         */
        private Boolean broadcast;

        public Boolean getBroadcast() {
            return this.broadcast;
        }

        public void setBroadcast(Boolean broadcast) {
            this.broadcast = broadcast;
        }

    }

    /**
     * Extra options of TCP sockets.
     */
    public static class TcpExtraOptions extends ExtraOptions {

        /**
         * Whether keep-alive probes are sent on idle connections (SO_KEEPALIVE).
         */
        private Boolean keepAlive;

        /**
         * Whether urgent data is received inline with the stream (SO_OOBINLINE).
         */
        private Boolean oobInline;

        /**
         * Whether small sends go out at once, without Nagle's algorithm (TCP_NODELAY).
         */
        private Boolean tcpNoDelay;

        private final SocketLinger socketLinger = new SocketLinger();

        public Boolean getKeepAlive() {
            return this.keepAlive;
        }

        public void setKeepAlive(Boolean keepAlive) {
            this.keepAlive = keepAlive;
        }

        public Boolean getOobInline() {
            return this.oobInline;
        }

        public void setOobInline(Boolean oobInline) {
            this.oobInline = oobInline;
        }

        public Boolean getTcpNoDelay() {
            return this.tcpNoDelay;
        }

        public void setTcpNoDelay(Boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
        }

        public SocketLinger getSocketLinger() {
            return this.socketLinger;
        }

    }

    /**
     * What closing a TCP socket does with data not yet sent (SO_LINGER). Applied when either field is set.
     */
    public static class SocketLinger {

        /**
         * Whether close waits for unsent data up to the linger time. Unset with a linger time set means true.
         */
        private Boolean on;

        /**
         * How long close waits for unsent data, 0 to 65535 ms, rounded up to whole seconds for the kernel. A bare
         * number is in milliseconds, as in the API; 0 resets the connection on close. Unset means 0.
         */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration linger;

        public Boolean getOn() {
            return this.on;
        }

        public void setOn(Boolean on) {
            this.on = on;
        }

        /**
         * Binds {@code on} written unquoted in YAML: YAML 1.1 reads that key as the boolean {@code true}, so
         * {@code socket-linger: { on: false }} arrives as the key {@code true}. A setter only, so that it is no
         * property of its own in the metadata.
         * @param on whether lingering is enabled
         */
        public void setTrue(Boolean on) {
            this.on = on;
        }

        public Duration getLinger() {
            return this.linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

    }

    /**
     * Multicast sockets: applied to each when its channel is opened, by bind or addMembership.
     */
    public static class Multicast {

        // The key is "interface", a Java keyword: bound through getInterface/setInterface and documented in
        // additional-spring-configuration-metadata.json.
        private String networkInterface;

        /**
         * Time-to-live (IPv4) or hop limit (IPv6) of datagrams sent to groups, 0 to 255. Unset keeps the system
         * default, 1.
         */
        private Integer ttl;

        /**
         * Whether datagrams sent to a group are also delivered to the members on this host. Unset keeps the system
         * default, true.
         */
        private Boolean loopbackMode;

        public String getInterface() {
            return this.networkInterface;
        }

        public void setInterface(String networkInterface) {
            this.networkInterface = networkInterface;
        }

        public Integer getTtl() {
            return this.ttl;
        }

        public void setTtl(Integer ttl) {
            this.ttl = ttl;
        }

        public Boolean getLoopbackMode() {
            return this.loopbackMode;
        }

        public void setLoopbackMode(Boolean loopbackMode) {
            this.loopbackMode = loopbackMode;
        }

    }

    /**
     * Application events.
     */
    public static class Events {

        /**
         * Whether every socket event is republished as an application event.
         */
        private boolean enabled = true;

        /**
         * Maximum number of events queued for listeners that fall behind. Past it, UDP message and error events are
         * dropped, TCP sockets stop reading until the queue has drained to half, and listening, connect and close
         * events may fill the queue to twice this.
         */
        private int queueCapacity = 8192;

        /**
         * Maximum size of the events queued for listeners that fall behind: their payloads plus a fixed cost per
         * event. Past it, events are held back or dropped as past the queue capacity.
         */
        private DataSize queueLimit = DataSize.ofMegabytes(32);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getQueueCapacity() {
            return this.queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public DataSize getQueueLimit() {
            return this.queueLimit;
        }

        public void setQueueLimit(DataSize queueLimit) {
            this.queueLimit = queueLimit;
        }

    }

    /**
     * Which remote addresses sockets may talk to: UDP send destinations, TCP connect destinations and the sources of
     * received UDP datagrams. An address is denied when it matches a deny entry; otherwise it is allowed when the
     * allow list is empty or it matches an allow entry.
     */
    public static class Access {

        /**
         * CIDR blocks that sockets may talk to, each optionally limited to one port, such as 127.0.0.0/8,
         * 10.0.0.0/8:53, ::1/128 or [::1]/128:8080. Empty allows every address that no deny entry matches.
         */
        private List<String> allow = new ArrayList<>();

        /**
         * CIDR blocks that sockets must not talk to, with the syntax of the allow list. A deny entry wins over every
         * allow entry.
         */
        private List<String> deny = new ArrayList<>();

        public List<String> getAllow() {
            return this.allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public List<String> getDeny() {
            return this.deny;
        }

        public void setDeny(List<String> deny) {
            this.deny = deny;
        }

    }

    /**
     * Health indicator.
     */
    public static class Health {

        /**
         * Maximum time an event loop may take to run a probe task before the health indicator reports it stuck.
         */
        private Duration loopTimeout = Duration.ofSeconds(1);

        public Duration getLoopTimeout() {
            return this.loopTimeout;
        }

        public void setLoopTimeout(Duration loopTimeout) {
            this.loopTimeout = loopTimeout;
        }

    }

    /**
     * Settings of every server.
     */
    public static class Server {

        /**
         * Maximum number of connections one server keeps open at once; past it a new connection is reset at once.
         */
        private int maxConnections = 10_000;

        public int getMaxConnections() {
            return this.maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

    }

    /**
     * TLS sockets and servers.
     */
    public static class Tls {

        /**
         * Name of the SSL bundle (spring.ssl.bundle.pem.* or spring.ssl.bundle.jks.*) whose keys, trust, protocols
         * and ciphers a TLS connect or listen uses when it gives no secure options. A reloaded bundle applies to the
         * next handshake.
         */
        private String bundle;

        /**
         * Maximum time a TLS handshake may take, TCP connect included, when a connect or listen gives no timeout.
         * Past it the handshake fails with 2303210.
         */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        public String getBundle() {
            return this.bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public Duration getHandshakeTimeout() {
            return this.handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

    }

}
