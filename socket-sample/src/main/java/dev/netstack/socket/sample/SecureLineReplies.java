package dev.netstack.socket.sample;

import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.event.SocketMessageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sample's TLS echo: the declared server {@code socket.servers.secure-lines} of {@code application.yml}
 * ({@code protocol: tls}, its key and certificate from the SSL bundle {@code sample-tls}), answered by this
 * {@code @EventListener} alone. Every line gets {@code "echo: "} and the line back; try it with
 * {@code openssl s_client -connect 127.0.0.1:9996}.
 */
@Component
public class SecureLineReplies {

    /** The name of the declared server, as in {@code application.yml}. */
    static final String SERVER = "secure-lines";

    private static final Logger logger = LoggerFactory.getLogger(SecureLineReplies.class);

    /**
     * Answers a line of a connection of the TLS echo: a whole line ({@code framing: lines}), decrypted, without its
     * line end.
     * @param event a line that a connection of the TLS echo received
     */
    @EventListener(condition = "event.serverName == '" + SERVER + "'")
    public void onLine(SocketMessageEvent event) {
        TLSSocketConnection connection = (TLSSocketConnection) event.getSocket();
        connection.send("echo: " + event.getMessage().text() + "\n").whenComplete((done, failure) -> {
            if (failure != null) {
                logger.debug("Answer to TLS client {} failed: {}", connection.clientId(), Failures.describe(failure));
            }
        });
    }

}
