package dev.netstack.socket.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.UDPExtraOptions;
import dev.netstack.socket.nio.AccessPolicy;
import dev.netstack.socket.nio.MulticastDefaults;
import dev.netstack.socket.nio.SocketSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Checks {@link SocketProperties} and maps them to the engine's {@link SocketSettings}.
 *
 * <p>Every bad value fails here, while the context starts, with an {@link InvalidConfigurationPropertyValueException}
 * that names the key and the value; Boot's failure analyzer turns it into a report with the value's origin. Without
 * this, a negative buffer size would only fail at the first bind.
 */
final class SocketSettingsMapper {

    /** The largest linger the API allows, in milliseconds. */
    private static final long MAX_LINGER_MILLIS = 65535;

    private SocketSettingsMapper() {
    }

    /**
     * Checks the properties and starts a builder from them.
     * @param properties the bound properties
     * @return a builder with every property applied; observers and customizers may still change it
     * @throws InvalidConfigurationPropertyValueException naming the first bad key and value
     */
    static SocketSettings.Builder toBuilder(SocketProperties properties) {
        int ioThreads = properties.getIoThreads();
        if (ioThreads < 1) {
            throw invalid("socket.io-threads", ioThreads, "must be at least 1");
        }
        positive("socket.health.loop-timeout", properties.getHealth().getLoopTimeout());
        SocketProperties.Tcp tcp = properties.getTcp();
        int maxConnections = properties.getServer().getMaxConnections();
        if (maxConnections < 1) {
            throw invalid("socket.server.max-connections", maxConnections, "must be at least 1");
        }
        return SocketSettings.builder()
            .ioThreads(ioThreads)
            .maxConnections(maxConnections)
            .shutdownTimeout(positive("socket.shutdown-timeout", properties.getShutdownTimeout()))
            .connectTimeout(positive("socket.tcp.connect-timeout", tcp.getConnectTimeout()))
            .tlsHandshakeTimeout(positive("socket.tls.handshake-timeout", properties.getTls().getHandshakeTimeout()))
            .sendQueueLimit(positive("socket.tcp.send-queue-limit", tcp.getSendQueueLimit()))
            .udpSendQueueLimit(positive("socket.udp.send-queue-limit", properties.getUdp().getSendQueueLimit()))
            .udpDefaults(udpOptions(properties.getUdp().getExtraOptions()))
            .tcpDefaults(tcpOptions(tcp.getExtraOptions()))
            .multicastDefaults(multicastDefaults(properties.getMulticast()))
            .accessPolicy(accessPolicy(properties.getAccess()));
    }

    private static AccessPolicy accessPolicy(SocketProperties.Access access) {
        List<String> allow = checkEntries("socket.access.allow", access.getAllow());
        List<String> deny = checkEntries("socket.access.deny", access.getDeny());
        return AccessPolicy.of(allow, deny);
    }

    private static MulticastDefaults multicastDefaults(SocketProperties.Multicast multicast) {
        String networkInterface = multicast.getInterface();
        if (networkInterface != null && networkInterface.isBlank()) {
            throw invalid("socket.multicast.interface", networkInterface,
                    "must name an interface or one of its addresses");
        }
        Integer ttl = multicast.getTtl();
        if (ttl != null && (ttl < 0 || ttl > MulticastDefaults.MAX_TTL)) {
            throw invalid("socket.multicast.ttl", ttl, "must be between 0 and " + MulticastDefaults.MAX_TTL);
        }
        return new MulticastDefaults(networkInterface, ttl, multicast.getLoopbackMode());
    }

    /** Checks each entry on its own, so that the failure names the exact key, e.g. {@code socket.access.deny[2]}. */
    private static List<String> checkEntries(String key, List<String> entries) {
        if (entries == null) {
            return List.of();
        }
        for (int i = 0; i < entries.size(); i++) {
            try {
                AccessPolicy.validate(entries.get(i));
            }
            catch (IllegalArgumentException ex) {
                throw invalid(key + "[" + i + "]", entries.get(i), ex.getMessage());
            }
        }
        return entries;
    }

    /**
     * Checks a duration that must be positive.
     * @param key the property key, for the message
     * @param value the value
     * @return the value
     * @throws InvalidConfigurationPropertyValueException when it is missing, zero or negative
     */
    static Duration positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, value, "must be positive");
        }
        return value;
    }

    private static long positive(String key, DataSize size) {
        if (size == null || size.toBytes() < 1) {
            throw invalid(key, size, "must be at least 1 byte");
        }
        return size.toBytes();
    }

    private static UDPExtraOptions udpOptions(SocketProperties.UdpExtraOptions source) {
        UDPExtraOptions options = new UDPExtraOptions();
        shared("socket.udp.extra-options.", source, options);
        options.setBroadcast(source.getBroadcast());
        return options;
    }

    private static TCPExtraOptions tcpOptions(SocketProperties.TcpExtraOptions source) {
        TCPExtraOptions options = new TCPExtraOptions();
        shared("socket.tcp.extra-options.", source, options);
        options.setKeepAlive(source.getKeepAlive());
        options.setOOBInline(source.getOobInline());
        options.setTCPNoDelay(source.getTcpNoDelay());
        SocketProperties.SocketLinger linger = source.getSocketLinger();
        if (linger.getOn() != null || linger.getLinger() != null) {
            Duration time = (linger.getLinger() != null) ? linger.getLinger() : Duration.ZERO;
            if (time.isNegative() || time.toMillis() > MAX_LINGER_MILLIS) {
                throw invalid("socket.tcp.extra-options.socket-linger.linger", time, "must be between 0 and 65535ms");
            }
            // Setting only the linger time means lingering is wanted.
            boolean on = (linger.getOn() != null) ? linger.getOn() : true;
            options.setSocketLinger(new SocketLinger(on, (int) time.toMillis()));
        }
        return options;
    }

    private static void shared(String prefix, SocketProperties.ExtraOptions source,
            dev.netstack.socket.ExtraOptions target) {
        target.setReceiveBufferSize(bufferSize(prefix + "receive-buffer-size", source.getReceiveBufferSize()));
        target.setSendBufferSize(bufferSize(prefix + "send-buffer-size", source.getSendBufferSize()));
        target.setReuseAddress(source.getReuseAddress());
        Duration timeout = source.getSocketTimeout();
        if (timeout != null) {
            if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw invalid(prefix + "socket-timeout", timeout, "must be between 0 and " + Integer.MAX_VALUE + "ms");
            }
            target.setSocketTimeout((int) timeout.toMillis());
        }
    }

    private static Integer bufferSize(String key, DataSize size) {
        if (size == null) {
            return null;
        }
        if (size.isNegative() || size.toBytes() > Integer.MAX_VALUE) {
            throw invalid(key, size, "must be between 0 and " + Integer.MAX_VALUE + " bytes");
        }
        return (int) size.toBytes();
    }

    static InvalidConfigurationPropertyValueException invalid(String key, Object value, String reason) {
        // Durations in the unit the keys document ("70000ms"), not ISO-8601 ("PT1M10S").
        Object shown = (value instanceof Duration duration) ? duration.toMillis() + "ms" : value;
        return new InvalidConfigurationPropertyValueException(key, shown, reason);
    }

}
