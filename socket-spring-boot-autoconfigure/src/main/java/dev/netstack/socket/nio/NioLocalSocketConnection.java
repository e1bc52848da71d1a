package dev.netstack.socket.nio;

import dev.netstack.socket.LocalSocketConnection;

/**
 * A {@link LocalSocketConnection}: the application's side of a {@link LocalStreamSocket} that a
 * {@link LocalServerChannel} accepted.
 */
public final class NioLocalSocketConnection extends LocalStreamFacade implements LocalSocketConnection {

    private final int clientId;

    NioLocalSocketConnection(LocalStreamSocket stream, int clientId) {
        super(stream);
        this.clientId = clientId;
    }

    @Override
    public int clientId() {
        return this.clientId;
    }

}
