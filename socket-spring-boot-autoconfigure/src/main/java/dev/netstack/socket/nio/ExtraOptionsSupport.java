package dev.netstack.socket.nio;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.netstack.socket.BusinessError;
import dev.netstack.socket.ExtraOptions;
import dev.netstack.socket.SocketLinger;
import dev.netstack.socket.TCPExtraOptions;
import dev.netstack.socket.UDPExtraOptions;

/**
 * Checks extra options, applies the set ones to a channel, and reads the effective ones back.
 */
final class ExtraOptionsSupport {

    /** The largest linger the seed allows, in milliseconds. */
    private static final int MAX_LINGER_MILLIS = 65535;

    private ExtraOptionsSupport() {
    }

    /**
     * Checks the set fields.
     * @param options the options
     * @throws BusinessError 401 naming the bad field and value
     */
    static void validate(ExtraOptions options) {
        if (options == null) {
            throw Errors.parameter("options must not be null");
        }
        requireNotNegative("receiveBufferSize", options.getReceiveBufferSize());
        requireNotNegative("sendBufferSize", options.getSendBufferSize());
        requireNotNegative("socketTimeout", options.getSocketTimeout());
        if (options instanceof TCPExtraOptions tcp && tcp.getSocketLinger() != null) {
            int linger = tcp.getSocketLinger().linger();
            if (linger < 0 || linger > MAX_LINGER_MILLIS) {
                throw Errors.parameter("socketLinger.linger " + linger + " is out of range 0..65535");
            }
        }
    }

    /**
     * Checks defaults given at start-up, where a bad value is a configuration error rather than a call's failure.
     * @param options the defaults
     * @throws IllegalArgumentException naming the bad field and value
     */
    static void validateDefaults(ExtraOptions options) {
        try {
            validate(options);
        }
        catch (BusinessError ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    /**
     * Applies the set fields to a channel; {@code socketTimeout} is not a channel option and is left to the caller.
     * @param channel the channel
     * @param options checked options
     * @throws IOException when the kernel refuses one
     */
    static void apply(NetworkChannel channel, ExtraOptions options) throws IOException {
        set(channel, StandardSocketOptions.SO_RCVBUF, options.getReceiveBufferSize());
        set(channel, StandardSocketOptions.SO_SNDBUF, options.getSendBufferSize());
        set(channel, StandardSocketOptions.SO_REUSEADDR, options.getReuseAddress());
        if (options instanceof UDPExtraOptions udp) {
            set(channel, StandardSocketOptions.SO_BROADCAST, udp.getBroadcast());
        }
        if (options instanceof TCPExtraOptions tcp) {
            set(channel, StandardSocketOptions.SO_KEEPALIVE, tcp.getKeepAlive());
            set(channel, StandardSocketOptions.TCP_NODELAY, tcp.getTCPNoDelay());
            if (tcp.getOOBInline() != null && channel instanceof SocketChannel socketChannel) {
                // SO_OOBINLINE has no public SocketOption; the channel's socket adaptor sets it.
                socketChannel.socket().setOOBInline(tcp.getOOBInline());
            }
            SocketLinger linger = tcp.getSocketLinger();
            if (linger != null) {
                set(channel, StandardSocketOptions.SO_LINGER, linger.on() ? lingerSeconds(linger.linger()) : -1);
            }
        }
    }

    /**
     * Converts the seed's linger in milliseconds to the whole seconds of SO_LINGER, rounding up.
     * @param millis 0 to 65535
     * @return seconds; 0 stays 0 (reset on close)
     */
    static int lingerSeconds(int millis) {
        return (millis + 999) / 1000;
    }

    /**
     * Reads the effective options back from a channel, named as the seed's fields.
     * @param channel an open channel
     * @return the options the kernel reports
     */
    static Map<String, Object> readBack(NetworkChannel channel) {
        Map<String, Object> options = new LinkedHashMap<>();
        read(channel, StandardSocketOptions.SO_RCVBUF, "receiveBufferSize", options);
        read(channel, StandardSocketOptions.SO_SNDBUF, "sendBufferSize", options);
        read(channel, StandardSocketOptions.SO_REUSEADDR, "reuseAddress", options);
        if (channel instanceof DatagramChannel) {
            read(channel, StandardSocketOptions.SO_BROADCAST, "broadcast", options);
        }
        if (channel instanceof SocketChannel socketChannel) {
            read(channel, StandardSocketOptions.SO_KEEPALIVE, "keepAlive", options);
            read(channel, StandardSocketOptions.TCP_NODELAY, "TCPNoDelay", options);
            try {
                options.put("OOBInline", socketChannel.socket().getOOBInline());
            }
            catch (IOException | UnsupportedOperationException ex) {
                // Not readable on this platform or channel (a Unix domain channel has no socket adaptor): leave it out rather than report a guess.
            }
            read(channel, StandardSocketOptions.SO_LINGER, "socketLingerSeconds", options);
        }
        return options;
    }

    private static <T> void set(NetworkChannel channel, SocketOption<T> option, T value) throws IOException {
        if (value != null) {
            channel.setOption(option, value);
        }
    }

    private static void read(NetworkChannel channel, SocketOption<?> option, String name, Map<String, Object> into) {
        try {
            into.put(name, channel.getOption(option));
        }
        catch (IOException | UnsupportedOperationException ex) {
            // Not readable on this channel or platform: leave it out rather than report a guess.
        }
    }

    private static void requireNotNegative(String name, Integer value) {
        if (value != null && value < 0) {
            throw Errors.parameter(name + " " + value + " must not be negative");
        }
    }

}
