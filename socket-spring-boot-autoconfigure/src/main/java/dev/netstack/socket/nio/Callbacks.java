package dev.netstack.socket.nio;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.netstack.socket.AsyncCallback;

/**
 * The two forms of every asynchronous method meet here: the callback form is written once, and the future form
 * adapts to it.
 */
final class Callbacks {

    private Callbacks() {
    }

    /**
     * Checks a callback given to a callback-form method; it has nowhere else to report, so it throws.
     * @param callback the callback
     * @throws BusinessError 401 when {@code null}
     */
    static void requireCallback(Object callback) {
        if (callback == null) {
            throw Errors.parameter("callback must not be null");
        }
    }

    /**
     * Runs the callback form of an operation and returns its future. The TCP, UDP and local sends build theirs
     * directly instead, which keeps this capturing lambda off the per-message path.
     * @param call the callback form
     * @param <T> the result type
     * @return the future
     */
    static <T> CompletableFuture<T> future(Consumer<AsyncCallback<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        call.accept(completing(result));
        return result;
    }

    /**
     * Adapts a future to the callback form, so that each operation is written once.
     * @param future the future to complete
     * @param <T> the result type
     * @return a callback that completes it
     */
    static <T> AsyncCallback<T> completing(CompletableFuture<T> future) {
        return (error, value) -> {
            if (error != null) {
                future.completeExceptionally(error);
            }
            else {
                future.complete(value);
            }
        };
    }

}
