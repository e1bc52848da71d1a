package dev.netstack.socket.sample;

import dev.netstack.socket.event.SocketCloseEvent;
import dev.netstack.socket.event.SocketConnectEvent;
import dev.netstack.socket.event.SocketErrorEvent;
import dev.netstack.socket.event.SocketListeningEvent;
import dev.netstack.socket.event.SocketMembershipEvent;
import dev.netstack.socket.event.SocketMessageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every event of every socket the starter made, as Spring application events: nothing here calls
 * {@code on()}. Sizes and peers at INFO; the text of short messages at DEBUG only, since payloads may be private.
 *
 * <p>The starter delivers these on its own dispatch thread, in order per socket and never on an event loop, so a
 * listener may take its time without slowing any socket's I/O.
 */
@Component
public class SocketEventLogger {

    private static final Logger logger = LoggerFactory.getLogger(SocketEventLogger.class);

    /** Longest message whose text is logged at DEBUG. */
    private static final int MAX_LOGGED_TEXT = 120;

    /**
     * A UDP socket was bound.
     * @param event the event
     */
    @EventListener
    public void onListening(SocketListeningEvent event) {
        logger.info("Listening: {} socket {} on {}", event.getProtocol(), event.getSocketId(),
                NetAddresses.describe(event.getLocalAddress()));
    }

    /**
     * A multicast socket joined or left a group.
     * @param event the event
     */
    @EventListener
    public void onMembership(SocketMembershipEvent event) {
        logger.info("Membership: {} socket {} {} {}; its groups: {}", event.getProtocol(), event.getSocketId(),
                event.isJoined() ? "joined" : "left", NetAddresses.describe(event.getGroup()),
                event.getGroups().stream().map(NetAddresses::describe).toList());
    }

    /**
     * A TCP connection was established.
     * @param event the event
     */
    @EventListener
    public void onConnect(SocketConnectEvent event) {
        logger.info("Connect: {} socket {} from {} to {}", event.getProtocol(), event.getSocketId(),
                NetAddresses.describe(event.getLocalAddress()), NetAddresses.describe(event.getRemoteAddress()));
    }

    /**
     * A datagram or a chunk of a TCP stream arrived.
     * @param event the event
     */
    @EventListener
    public void onMessage(SocketMessageEvent event) {
        int size = event.getMessage().size();
        logger.info("Message: {} socket {} received {} bytes from {}", event.getProtocol(), event.getSocketId(), size,
                NetAddresses.describe(event.getRemoteAddress()));
        if (logger.isDebugEnabled() && size <= MAX_LOGGED_TEXT) {
            logger.debug("Message: {} socket {} received '{}'", event.getProtocol(), event.getSocketId(),
                    event.getMessage().text().strip());
        }
    }

    /**
     * A socket was closed, by the application or (TCP) by the peer.
     * @param event the event
     */
    @EventListener
    public void onClose(SocketCloseEvent event) {
        if (event.getRemoteAddress() != null) {
            logger.info("Close: {} socket {} (was {} to {})", event.getProtocol(), event.getSocketId(),
                    NetAddresses.describe(event.getLocalAddress()), NetAddresses.describe(event.getRemoteAddress()));
        }
        else {
            logger.info("Close: {} socket {} (was {})", event.getProtocol(), event.getSocketId(),
                    NetAddresses.describe(event.getLocalAddress()));
        }
    }

    /**
     * A failure that no pending call received, such as a reset by the peer.
     * @param event the event
     */
    @EventListener
    public void onError(SocketErrorEvent event) {
        logger.warn("Error: {} socket {}: {} ({})", event.getProtocol(), event.getSocketId(),
                event.getError().getMessage(), event.getError().getCode());
    }

}
