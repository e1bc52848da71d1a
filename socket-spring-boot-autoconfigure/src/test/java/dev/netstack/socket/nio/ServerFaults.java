package dev.netstack.socket.nio;

import dev.netstack.socket.TCPSocketServer;

/**
 * Opens the accept path's test seam to the server tests of another package: no test can make the kernel run out of
 * descriptors for one listening socket on demand, so the seam fails the next accept calls as if it had.
 */
public final class ServerFaults {

    private ServerFaults() {
    }

    /**
     * Makes the next accept calls of a server fail with "Too many open files".
     * @param server a server of the engine
     * @param count how many accept calls fail; 0 ends a run of failures still pending
     */
    public static void failNextAccepts(TCPSocketServer server, int count) {
        ((NioServerSocket<?>) server).failNextAccepts(count);
    }

}
