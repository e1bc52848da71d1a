package dev.netstack.socket.bench.workload;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSocket;

import dev.netstack.socket.bench.contender.TlsMaterial;

/**
 * The clients of the idle-server workload, run in their own JVM so that their objects never count against the
 * contender's heap: opens {@code count} blocking connections to 127.0.0.1:{@code port}, one after the other, and
 * holds them; with a third argument {@code true}, TLS 1.3 connections, each handshaken before the next. Prints
 * {@code CONNECTED <n>} when done; exits when its standard input closes (or when it is killed).
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
        boolean tls = args.length > 2 && Boolean.parseBoolean(args[2]);
        List<Closeable> held = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (tls) {
                SSLSocket socket = (SSLSocket) TlsMaterial.context().getSocketFactory()
                    .createSocket(server.getAddress(), server.getPort());
                socket.setEnabledProtocols(new String[] { TlsMaterial.PROTOCOL });
                socket.startHandshake();
                held.add(socket);
            }
            else {
                held.add(SocketChannel.open(server));
            }
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
