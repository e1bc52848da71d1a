package dev.netstack.socket;

/**
 * Receives {@link SocketEventType#ERROR 'error'} events: the seed's {@code ErrorCallback}.
 */
@FunctionalInterface
public interface ErrorCallback extends Callback<BusinessError> {

}
