package dev.netstack.socket.sample;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import dev.netstack.socket.BusinessError;

/**
 * Turns a failure of the socket API into a log message: the API's message (which names the bad value or the
 * peer) and its error code.
 */
final class Failures {

    private Failures() {
    }

    /**
     * Describes a failure, looking through the wrappers of futures.
     * @param failure what a future or a callback received
     * @return for example {@code "connect to 127.0.0.1:9998 failed: Connection refused (2301111)"}
     */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BusinessError error) {
            return error.getMessage() + " (" + error.getCode() + ")";
        }
        return String.valueOf(cause);
    }

}
