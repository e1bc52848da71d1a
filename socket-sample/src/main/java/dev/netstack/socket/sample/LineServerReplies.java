package dev.netstack.socket.sample;

import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.event.SocketMessageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sample's line server: the declared server {@code socket.servers.lines} of {@code application.yml}, answered
 * by these {@code @EventListener} methods alone. Every line gets {@code "echo: "} and the line back: the peer of
 * {@link TcpLineClient} out of the box, and something to try with {@code nc 127.0.0.1 9998}.
 */
@Component
public class LineServerReplies {

    /** The name of the declared server, as in {@code application.yml}. */
    static final String SERVER = "lines";

    private static final Logger logger = LoggerFactory.getLogger(LineServerReplies.class);

    /**
     * Answers a line of a connection of the line server: its framing ({@code socket.servers.lines.framing}) makes
     * every message event one whole line, without its line end.
     * @param event a line that a connection of the line server received
     */
    @EventListener(condition = "event.serverName == '" + SERVER + "'")
    public void onLine(SocketMessageEvent event) {
        TCPSocketConnection connection = (TCPSocketConnection) event.getSocket();
        connection.send(new TCPSendOptions("echo: " + event.getMessage().text() + "\n"))
            .whenComplete((done, failure) -> {
                if (failure != null) {
                    logger.debug("Answer to client {} failed: {}", connection.clientId(), Failures.describe(failure));
                }
            });
    }

}
