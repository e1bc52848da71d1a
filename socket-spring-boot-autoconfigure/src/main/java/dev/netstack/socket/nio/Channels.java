package dev.netstack.socket.nio;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.Channel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/**
 * What every socket kind does to a channel as it goes away or reports its address, whatever the channel is.
 */
final class Channels {

    private static final System.Logger logger = Loggers.of(Channels.class);

    private Channels() {
    }

    /**
     * Reads the address a channel is bound to.
     * @param channel the channel
     * @param fallback what to report when the kernel does not say
     * @return the bound address
     */
    static InetSocketAddress localSocketAddress(NetworkChannel channel, InetSocketAddress fallback) {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        }
        catch (IOException ex) {
            return fallback;
        }
    }

    /**
     * Closes a channel, logging rather than throwing a failure: used where the socket is going away anyway.
     * @param channel the channel, may be {@code null}
     */
    static void closeQuietly(Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            }
            catch (IOException ex) {
                logger.log(Level.DEBUG, "Closing " + channel + " failed", ex);
            }
        }
    }

    /**
     * Makes the close of a channel a reset (SO_LINGER 0) rather than a FIN.
     * @param channel the channel, may be {@code null} or closed
     */
    static void resetOnClose(SocketChannel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            catch (IOException ex) {
                logger.log(Level.DEBUG, "Cannot set SO_LINGER 0 on " + channel + "; it closes with FIN", ex);
            }
        }
    }

}
