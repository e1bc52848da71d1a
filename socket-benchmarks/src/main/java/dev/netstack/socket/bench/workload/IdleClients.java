package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients of the idle-server workload, run in their own JVM so that their objects never count against the
 * contender's heap: opens {@code count} blocking connections to 127.0.0.1:{@code port}, one after the other, and
 * holds them. Prints {@code CONNECTED <n>} when done; exits when its standard input closes (or when it is killed).
 */
public final class IdleClients {

    private IdleClients() {
    }

    /**
     * Opens the connections.
     * @param args the server's port and the number of connections
     * @throws IOException when a connection fails
     */
    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        int count = Integer.parseInt(args[1]);
        List<SocketChannel> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            held.add(SocketChannel.open(server));
        }
        System.out.println("CONNECTED " + held.size());
        System.out.flush();
        // Blocks until the parent closes our standard input or goes away.
        while (System.in.read() >= 0) {
            // Nothing is expected on it.
        }
        System.exit(0);
    }

}
