package dev.netstack.socket.sample;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.netstack.socket.TCPSendOptions;
import dev.netstack.socket.TCPSocketConnection;
import dev.netstack.socket.event.SocketCloseEvent;
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

    private static final int MAX_LINE_BYTES = 4096;

    /**
     * One decoder per connection, by socket id. Application events arrive on one thread, in order per socket, so a
     * plain map serves; an entry goes with its connection's close event.
     */
    private final Map<Long, LineDecoder> decoders = new HashMap<>();

    /**
     * Answers every complete line of a connection of the line server.
     * @param event a chunk that a connection of the line server read
     */
    @EventListener(condition = "event.serverName == '" + SERVER + "'")
    public void onMessage(SocketMessageEvent event) {
        LineDecoder decoder = this.decoders.computeIfAbsent(event.getSocketId(),
                (id) -> new LineDecoder(MAX_LINE_BYTES));
        TCPSocketConnection connection = (TCPSocketConnection) event.getSocket();
        for (String line : decoder.decode(event.getMessage().message())) {
            connection.send(new TCPSendOptions(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8)))
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        logger.debug("Answer to client {} failed: {}", connection.clientId(),
                                Failures.describe(failure));
                    }
                });
        }
    }

    /**
     * Forgets the decoder of a connection that closed.
     * @param event the close of a connection of the line server
     */
    @EventListener(condition = "event.serverName == '" + SERVER + "'")
    public void onClose(SocketCloseEvent event) {
        this.decoders.remove(event.getSocketId());
    }

}
