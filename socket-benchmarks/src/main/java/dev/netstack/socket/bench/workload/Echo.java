package dev.netstack.socket.bench.workload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The other end of the ping-pong workloads, the same for every contender: one blocking thread that sends back
 * whatever arrives (UDP: each datagram to its sender; TCP, TCP_NODELAY on, and local streams: each
 * {@code size}-byte message).
 */
final class Echo implements AutoCloseable {

    private final java.nio.channels.NetworkChannel channel;

    private final Thread thread;

    private Echo(java.nio.channels.NetworkChannel channel, Runnable loop, String name) {
        this.channel = channel;
        this.thread = new Thread(loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static Echo udp() throws IOException {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        return new Echo(channel, () -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    channel.send(buffer.flip(), from);
                }
            }
            catch (ClosedChannelException ex) {
                // Stopped.
            }
            catch (IOException ex) {
                ex.printStackTrace();
            }
        }, "udp-echo");
    }

    static Echo tcp(int size) throws IOException {
        return stream(ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)), size, "tcp-echo");
    }

    /**
     * The echo of the local ping-pong: the same loop on a Unix domain socket.
     * @param path the socket file, which must not exist
     * @param size the size of each message
     * @return the echo, listening
     * @throws IOException when it cannot listen
     */
    static Echo local(Path path, int size) throws IOException {
        return stream(listenLocal(path), size, "local-echo");
    }

    /**
     * Listens on a Unix domain socket file.
     * @param path the socket file, which must not exist
     * @return the listening channel
     * @throws IOException when it cannot listen
     */
    static ServerSocketChannel listenLocal(Path path) throws IOException {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    }

    private static Echo stream(ServerSocketChannel server, int size, String name) throws IOException {
        boolean tcp = server.getLocalAddress() instanceof InetSocketAddress;
        return new Echo(server, () -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            try (SocketChannel channel = server.accept()) {
                if (tcp) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                while (true) {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        if (channel.read(buffer) < 0) {
                            return;
                        }
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
            }
            catch (ClosedChannelException ex) {
                // Stopped.
            }
            catch (IOException ex) {
                // The client closing first may reset the connection: the end of the run either way.
            }
        }, name);
    }

    SocketAddress address() throws IOException {
        return this.channel.getLocalAddress();
    }

    @Override
    public void close() throws Exception {
        this.channel.close();
        this.thread.join(5000);
    }

}
