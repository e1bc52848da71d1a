package dev.netstack.socket.bench.contender;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDK NIO in blocking mode: one thread per role that calls {@code receive}/{@code read}/{@code write} and
 * waits in the kernel. The floor that any framework adds its cost to.
 */
public final class PlainContender implements Contender {

    @Override
    public String id() {
        return "plain";
    }

    @Override
    public UdpSink udpSink() throws Exception {
        Counter counter = new Counter();
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            try {
                while (true) {
                    buffer.clear();
                    channel.receive(buffer);
                    counter.add(buffer.position());
                }
            }
            catch (ClosedChannelException ex) {
                // Closed by close(): the end of the run.
            }
            catch (IOException ex) {
                ex.printStackTrace();
            }
        }, "plain-udp-sink");
        thread.setDaemon(true);
        thread.start();
        return new UdpSink() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public Counter counter() {
                return counter;
            }

            @Override
            public String threadName() {
                return "plain-udp-sink";
            }

            @Override
            public void close() throws Exception {
                channel.close();
                thread.join(5000);
            }
        };
    }

    @Override
    public void tcpBulk(SocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        try (SocketChannel channel = SelectorContender.open(sink)) {
            for (long i = 0; i < chunks; i++) {
                ByteBuffer data = chunk.duplicate();
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        }
    }

    @Override
    public long[] udpPingPong(InetSocketAddress echo, int size, Rounds rounds) throws Exception {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.connect(echo);
            ByteBuffer ping = ByteBuffer.allocateDirect(size);
            ByteBuffer pong = ByteBuffer.allocateDirect(65536);
            do {
                rounds.sending();
                channel.write(ping.clear());
                pong.clear();
                channel.read(pong);
            }
            while (rounds.pong());
            return rounds.await(0, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public long[] tcpPingPong(SocketAddress echo, int size, Rounds rounds) throws Exception {
        try (SocketChannel channel = SelectorContender.open(echo)) {
            ByteBuffer ping = ByteBuffer.allocateDirect(size);
            ByteBuffer pong = ByteBuffer.allocateDirect(size);
            do {
                rounds.sending();
                ping.clear();
                while (ping.hasRemaining()) {
                    channel.write(ping);
                }
                pong.clear();
                while (pong.hasRemaining()) {
                    if (channel.read(pong) < 0) {
                        throw new EOFException("echo server closed the connection");
                    }
                }
            }
            while (rounds.pong());
            return rounds.await(0, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Opens blocking channels and holds them without a thread each: the JDK's own objects per connection, the least
     * any Java program can keep (a thread per connection, as blocking I/O would need to read, is not counted).
     */
    @Override
    public AutoCloseable idleConnections(InetSocketAddress server, int count) throws Exception {
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(server);
            }
        }
        catch (IOException ex) {
            closeAll(channels);
            throw ex;
        }
        return () -> closeAll(channels);
    }

    @Override
    public UdpSender udpSender(InetSocketAddress target, int size) throws Exception {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        return new UdpSender() {
            @Override
            public void sendAndAwait(int count) throws IOException {
                for (int i = 0; i < count; i++) {
                    channel.send(payload.clear(), target);
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /**
     * Closes channels, ignoring failures: they are going away anyway.
     * @param channels the channels
     */
    public static void closeAll(List<? extends java.nio.channels.Channel> channels) {
        for (java.nio.channels.Channel channel : channels) {
            try {
                channel.close();
            }
            catch (IOException ex) {
                // Going away anyway.
            }
        }
    }

    @Override
    public TcpServer tcpServer(ServerRole role) throws Exception {
        return new PlainServer(role);
    }

    @Override
    public void close() {
        // Every role closes what it opened.
    }

}
