package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The server of the idle-connections workload, run in its own JVM so that its objects never count against the
 * contender's heap: a plain blocking acceptor on 127.0.0.1 that accepts and holds every connection. Prints
 * {@code PORT <n>} when ready; exits when its standard input closes (or when it is killed).
 */
public final class IdleServer {

    private IdleServer() {
    }

    /**
     * Starts the server.
     * @param args none
     * @throws IOException when it cannot listen
     */
    public static void main(String[] args) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        List<SocketChannel> held = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(server.accept());
                }
            }
            catch (IOException ex) {
                // Closed: the end of the run.
            }
        }, "idle-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("PORT " + ((InetSocketAddress) server.getLocalAddress()).getPort());
        System.out.flush();
        // Blocks until the parent closes our standard input or goes away.
        while (System.in.read() >= 0) {
            // Nothing is expected on it.
        }
        System.exit(0);
    }

}
