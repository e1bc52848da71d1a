package dev.netstack.socket.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the sample does, prefix {@code sample}. The sockets' own settings are the starter's, prefix {@code socket}.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

    private final Udp udp = new Udp();

    private final Tcp tcp = new Tcp();

    private final Multicast multicast = new Multicast();

    public Udp getUdp() {
        return this.udp;
    }

    public Tcp getTcp() {
        return this.tcp;
    }

    public Multicast getMulticast() {
        return this.multicast;
    }

    /**
     * The UDP socket that answers every datagram.
     */
    public static class Udp {

        /**
         * Local address to bind: an IP literal, "localhost", or a wildcard such as 0.0.0.0.
         */
        private String address = "127.0.0.1";

        /**
         * Local port to bind; 0 picks a free port.
         */
        private int port = 9999;

        public String getAddress() {
            return this.address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

    }

    /**
     * The TCP client. By default it talks to the sample's line server, the declared server
     * {@code socket.servers.lines}.
     */
    public static class Tcp {

        private final Peer peer = new Peer();

        private final Reconnect reconnect = new Reconnect();

        /**
         * Time between two lines that the client sends on a connection; the first goes out on connect.
         */
        private Duration interval = Duration.ofSeconds(10);

        public Peer getPeer() {
            return this.peer;
        }

        public Reconnect getReconnect() {
            return this.reconnect;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

    }

    /**
     * Where the TCP client connects.
     */
    public static class Peer {

        /**
         * Address of the peer: an IP literal or a host name.
         */
        private String address = "127.0.0.1";

        /**
         * Port of the peer; 0 means the sample's own line server, on the port it listens on.
         */
        private int port;

        public String getAddress() {
            return this.address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

    }

    /**
     * How the TCP client waits between connect attempts: the delay doubles after each failure, up to the maximum,
     * and starts again from the initial delay once a connection is established.
     */
    public static class Reconnect {

        /**
         * Delay before the first new attempt.
         */
        private Duration initialDelay = Duration.ofSeconds(1);

        /**
         * Longest delay between two attempts.
         */
        private Duration maxDelay = Duration.ofSeconds(30);

        public Duration getInitialDelay() {
            return this.initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getMaxDelay() {
            return this.maxDelay;
        }

        public void setMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
        }

    }

    /**
     * The multicast announcer: a multicast socket that announces the sample on a group and logs what it hears.
     */
    public static class Multicast {

        /**
         * Whether to announce the sample on the group and log the announcements heard there.
         */
        private boolean enabled;

        /**
         * Group to join and announce on: an IPv4 group in 224.0.0.0/4 or an IPv6 group in ff00::/8.
         */
        private String group = "239.255.77.77";

        /**
         * Port of the group; 0 picks a free port, which only this sample then uses.
         */
        private int port = 9997;

        /**
         * Time between two announcements; the first goes out on start.
         */
        private Duration interval = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getGroup() {
            return this.group;
        }

        public void setGroup(String group) {
            this.group = group;
        }

        public int getPort() {
            return this.port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

    }

}
