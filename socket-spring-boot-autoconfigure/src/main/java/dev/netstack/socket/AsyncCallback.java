package dev.netstack.socket;

/**
 * Receives the result of an asynchronous operation: the seed's {@code AsyncCallback<T>}.
 *
 * <p>Exactly one of the arguments is meaningful: {@code error} is {@code null} on success, and then {@code data} is
 * the result ({@code null} for {@code Void}). Callbacks run on the socket's event loop thread and must not block.
 *
 * @param <T> the type of the result
 */
@FunctionalInterface
public interface AsyncCallback<T> {

    /**
     * Called once with the outcome of the operation.
     * @param error the failure, or {@code null} on success
     * @param data the result on success; {@code null} on failure or for {@code Void}
     */
    void onResult(BusinessError error, T data);

}
