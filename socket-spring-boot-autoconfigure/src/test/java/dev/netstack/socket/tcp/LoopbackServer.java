package dev.netstack.socket.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.netstack.socket.NetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain JDK server socket on loopback, port 0: the peer for tests that need a blocking, step-by-step counterpart.
 * Connections are accepted on a thread of their own and handed to the test.
 */
public final class LoopbackServer implements AutoCloseable {

    /** How long a blocking read by the test may wait before the test fails. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private final ServerSocket server;

    private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

    private final List<Socket> all = new ArrayList<>();

    private final String host;

    private final Thread acceptor;

    public LoopbackServer() throws IOException {
        this("127.0.0.1", 0);
    }

    /**
     * @param host a loopback literal
     * @param receiveBufferSize SO_RCVBUF of accepted sockets, or 0 for the system's
     */
    public LoopbackServer(String host, int receiveBufferSize) throws IOException {
        this.host = host;
        this.server = new ServerSocket();
        if (receiveBufferSize > 0) {
            // Set on the listener so that accepted sockets inherit it from the start (it sizes the TCP window).
            this.server.setReceiveBufferSize(receiveBufferSize);
        }
        this.server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 50);
        this.acceptor = new Thread(this::acceptLoop, "loopback-server-" + this.server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = this.server.accept();
                socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                synchronized (this.all) {
                    this.all.add(socket);
                }
                this.accepted.add(socket);
            }
        }
        catch (IOException ex) {
            // Closed by close().
        }
    }

    public int port() {
        return this.server.getLocalPort();
    }

    public NetAddress address() {
        return new NetAddress(this.host, port(), this.host.contains(":") ? NetAddress.IPV6 : NetAddress.IPV4);
    }

    public Socket accept() throws InterruptedException {
        Socket socket = this.accepted.poll(Await.SECONDS, TimeUnit.SECONDS);
        assertThat(socket).as("a connection accepted within %d s", Await.SECONDS).isNotNull();
        return socket;
    }

    /** Reads exactly {@code count} bytes. */
    public static byte[] readExactly(Socket socket, int count) throws IOException {
        return socket.getInputStream().readNBytes(count);
    }

    /** Reads until the peer ends the stream; a reset surfaces as {@link SocketException}. */
    public static byte[] readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return in.readAllBytes();
    }

    /** Closes the connections accepted so far, and forgets those not taken by {@link #accept()} yet. */
    public void closeAccepted() throws IOException {
        synchronized (this.all) {
            for (Socket socket : this.all) {
                socket.close();
            }
            this.all.clear();
        }
        this.accepted.clear();
    }

    @Override
    public void close() throws IOException {
        this.server.close();
        synchronized (this.all) {
            for (Socket socket : this.all) {
                socket.close();
            }
        }
    }

}
