package dev.netstack.socket.sample;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.netstack.socket.NetSocket;
import org.slf4j.Logger;

/**
 * Closes a socket of the sample when the application stops: sends already accepted go out first, for up to
 * {@value #TIMEOUT_SECONDS} seconds; a failure is logged, as the application is going away anyway.
 */
final class Closing {

    private static final long TIMEOUT_SECONDS = 10;

    private Closing() {
    }

    /**
     * Closes a socket and waits for it.
     * @param socket the socket, or {@code null} when there is none
     * @param what the socket, for the log, e.g. {@code "UDP echo socket"}
     * @param logger where a failure is logged
     */
    static void close(NetSocket socket, String what, Logger logger) {
        if (socket == null) {
            return;
        }
        try {
            socket.close().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            logger.warn("Closing the {} failed: {}", what, Failures.describe(ex));
        }
    }

}
