package dev.netstack.socket.tcp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.netstack.socket.AsyncCallback;
import dev.netstack.socket.BusinessError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Waits for results of the two API forms, bounded, so that a missing result fails the test instead of hanging it.
 */
public final class Await {

    public static final long SECONDS = 10;

    private Await() {
    }

    public static <T> T result(CompletableFuture<T> future) throws InterruptedException, TimeoutException {
        try {
            return future.get(SECONDS, TimeUnit.SECONDS);
        }
        catch (ExecutionException ex) {
            throw new AssertionError("expected success but failed with " + ex.getCause(), ex.getCause());
        }
    }

    public static BusinessError failure(CompletableFuture<?> future) throws InterruptedException, TimeoutException {
        try {
            Object value = future.get(SECONDS, TimeUnit.SECONDS);
            return fail("expected a failure but completed with " + value);
        }
        catch (ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(BusinessError.class);
            return (BusinessError) ex.getCause();
        }
    }

    /**
     * Calls a callback-form method and turns its callback into a future, checking that it is called exactly once.
     */
    public static <T> CompletableFuture<T> callback(Consumer<AsyncCallback<T>> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        call.accept((error, value) -> {
            boolean first = (error != null) ? future.completeExceptionally(error) : future.complete(value);
            if (!first) {
                throw new AssertionError("callback called twice");
            }
        });
        return future;
    }

}
