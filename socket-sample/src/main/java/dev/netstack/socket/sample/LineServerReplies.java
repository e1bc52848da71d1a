package dev.netstack.socket.sample;

import dev.netstack.socket.LocalSendOptions;
import dev.netstack.socket.LocalSocketConnection;
import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.event.SocketMessageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sample's line servers: the declared servers {@code socket.servers.lines} (TCP) and
 * {@code socket.servers.local-lines} (a Unix domain socket) of {@code application.yml}, answered by these
 * {@code @EventListener} methods alone. Every line gets {@code "echo: "} and the line back: the peer of
 * {@link TcpLineClient} out of the box, and something to try with {@code nc 127.0.0.1 9998} or
 * {@code socat - UNIX-CONNECT:/tmp/socket-sample-lines.sock}.
 */
@Component
public class LineServerReplies {

    /** The name of the declared server, as in {@code application.yml}. */
    static final String SERVER = "lines";

    /** The name of the declared local server, as in {@code application.yml}. */
    static final String LOCAL_SERVER = "local-lines";

    private static final Logger logger = LoggerFactory.getLogger(LineServerReplies.class);

    /**
     * Answers a line of a connection of the line server: its framing ({@code socket.servers.lines.framing}) makes
     * every message event one whole line, without its line end.
     * @param event a line that a connection of the line server received
     */
    @EventListener(condition = "event.serverName == '" + SERVER + "'")
    public void onLine(SocketMessageEvent event) {
        TCPSocketConnection connection = (TCPSocketConnection) event.getSocket();
        connection.send(new TCPSendOptions(answer(event)))
            .whenComplete((done, failure) -> answered(connection.clientId(), failure));
    }

    /**
     * Answers a line of a connection of the local line server, as {@link #onLine} does for TCP: its connections are
     * {@link LocalSocketConnection}s, which the event gives by their interface.
     * @param event a line that a connection of the local line server received
     */
    @EventListener(condition = "event.serverName == '" + LOCAL_SERVER + "'")
    public void onLocalLine(SocketMessageEvent event) {
        LocalSocketConnection connection = event.getSocket(LocalSocketConnection.class);
        connection.send(new LocalSendOptions(answer(event)))
            .whenComplete((done, failure) -> answered(connection.clientId(), failure));
    }

    private static String answer(SocketMessageEvent event) {
        return "echo: " + event.getMessage().text() + "\n";
    }

    private static void answered(int clientId, Throwable failure) {
        if (failure != null) {
            logger.debug("Answer to client {} failed: {}", clientId, Failures.describe(failure));
        }
    }

}
