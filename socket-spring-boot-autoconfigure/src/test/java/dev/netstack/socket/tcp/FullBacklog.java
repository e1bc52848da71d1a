package dev.netstack.socket.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import dev.netstack.socket.NetAddress;

/**
 * A listener on loopback that never accepts, with its accept queue filled by plain connections so that the kernel
 * drops further SYNs: a connect to it neither succeeds nor is refused, which makes a connect timeout real.
 */
public final class FullBacklog implements AutoCloseable {

    /** Connections tried before giving up; the kernel usually queues backlog + 1. */
    private static final int MAX_FILLERS = 64;

    /** How long a filler may take to be queued before the queue counts as full. */
    private static final long FILLER_WAIT_MILLIS = 500;

    private final ServerSocketChannel listener;

    private final List<SocketChannel> fillers = new ArrayList<>();

    public FullBacklog() throws IOException {
        this.listener = ServerSocketChannel.open();
        this.listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1);
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < MAX_FILLERS; i++) {
                SocketChannel filler = SocketChannel.open();
                this.fillers.add(filler);
                filler.configureBlocking(false);
                if (filler.connect(this.listener.getLocalAddress())) {
                    continue;
                }
                SelectionKey key = filler.register(selector, SelectionKey.OP_CONNECT);
                // Waits on the selector (not a sleep) for the handshake; silence means the SYN was dropped.
                int ready = selector.select(FILLER_WAIT_MILLIS);
                key.cancel();
                selector.selectNow();
                if (ready == 0) {
                    return;
                }
                filler.finishConnect();
            }
        }
        close();
        throw new IllegalStateException("the kernel accepted " + MAX_FILLERS + " connections on a backlog of 1");
    }

    public NetAddress address() throws IOException {
        return new NetAddress("127.0.0.1", ((InetSocketAddress) this.listener.getLocalAddress()).getPort());
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel filler : this.fillers) {
            filler.close();
        }
        this.listener.close();
    }

}
