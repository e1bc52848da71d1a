package dev.netstack.socket.bench.contender;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP server of the plain blocking contender: one thread in {@code accept()} that closes each connection at once
 * or holds it without reading (a thread per connection, as blocking I/O would need to read, is not counted). It does
 * not echo: 1,000 connections would take 1,000 threads.
 */
final class PlainServer implements TcpServer {

    static final String THREAD_NAME = "plain-acceptor";

    private final ServerSocketChannel server;

    private final Counter accepted = new Counter();

    private final List<SocketChannel> held = new ArrayList<>();

    private final Thread thread;

    PlainServer(ServerRole role) throws IOException {
        if (role == ServerRole.ECHO) {
            throw new UnsupportedOperationException("plain does not take part in TCP server (echo): one thread per "
                    + "connection");
        }
        this.server = ServerSocketChannel.open();
        this.server.bind(new InetSocketAddress("127.0.0.1", 0), SelectorServer.BACKLOG);
        this.thread = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel channel = this.server.accept();
                    this.accepted.add(0);
                    if (role == ServerRole.CLOSE) {
                        channel.close();
                    }
                    else {
                        this.held.add(channel);
                    }
                }
            }
            catch (IOException ex) {
                // Closed by close(): the end of the run.
            }
        }, THREAD_NAME);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public int port() {
        return this.server.socket().getLocalPort();
    }

    @Override
    public Counter accepted() {
        return this.accepted;
    }

    @Override
    public String threadName() {
        return THREAD_NAME;
    }

    @Override
    public void close() throws Exception {
        this.server.close();
        this.thread.join(10_000);
        PlainContender.closeAll(this.held);
    }

}
