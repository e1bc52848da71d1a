package dev.netstack.socket.nio;

import java.nio.channels.SelectionKey;

/**
 * Reacts to the readiness of one registered channel. Attached to its {@link SelectionKey}; called only on the
 * channel's event loop.
 */
interface ChannelHandler {

    /**
     * Handles the ready operations of the key, in the order connect, write, read.
     * @param key the key, valid when called
     * @param readyOps the ready set
     */
    void handleReady(SelectionKey key, int readyOps);

    /**
     * Called when the event loop stops with the channel still registered: the handler must close its channel.
     */
    void loopStopped();

    /**
     * Called when the loop moved the channel to a new selector (after the old one failed).
     * @param key the channel's new key
     */
    void keyChanged(SelectionKey key);

}
