package dev.netstack.socket.event;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import dev.netstack.socket.nio.NioSocket;

/**
 * The stream sockets whose reading the publisher holds suspended because the event queue is full: a stream's
 * message events are never dropped, so the socket stops reading instead, and TCP's flow control slows the peer. They
 * read again once the queue has drained below its low-water mark.
 */
final class SuspendedStreams {

    private final Queue<ObservedSocket> suspended = new ConcurrentLinkedQueue<>();

    private final BooleanSupplier drained;

    /**
     * Creates the list.
     * @param drained tells whether the queue is below its low-water mark, or stopped
     */
    SuspendedStreams(BooleanSupplier drained) {
        this.drained = drained;
    }

    /**
     * Suspends a stream socket's reading, once until it is resumed. On the socket's loop.
     * @param observed the socket's entry
     * @param socket the socket
     */
    void suspend(ObservedSocket observed, NioSocket socket) {
        if (!observed.markSuspended()) {
            return;
        }
        // Suspended before it is listed, so that whoever takes it off the list resumes a suspended socket.
        socket.suspendReading();
        this.suspended.offer(observed);
        // The dispatch thread may have drained the queue and found the list empty just before the offer: look again,
        // so that the socket is never left suspended with nobody to resume it.
        if (this.drained.getAsBoolean()) {
            resumeAll();
        }
    }

    /**
     * Resumes every socket suspended so far. Any thread; cheap when none is.
     */
    void resumeAll() {
        ObservedSocket observed;
        while ((observed = this.suspended.poll()) != null) {
            NioSocket socket = observed.get();
            // A socket collected meanwhile had closed: nothing is left to resume.
            if (observed.clearSuspended() && socket != null) {
                socket.resumeReading();
            }
        }
    }

}
