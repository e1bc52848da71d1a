package dev.netstack.socket.bench.contender;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plain JDK NIO with one hand-written selector loop: non-blocking channels, {@code select()}, read until the channel
 * is empty. What an event loop costs at the least, without tasks, timers, callbacks or any API on top.
 */
public final class SelectorContender implements Contender {

    @Override
    public String id() {
        return "selector";
    }

    @Override
    public UdpSink udpSink() throws Exception {
        Counter counter = new Counter();
        Selector selector = Selector.open();
        DatagramChannel channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.register(selector, SelectionKey.OP_READ);
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            try {
                while (selector.isOpen()) {
                    selector.select(key -> {
                        try {
                            while (true) {
                                buffer.clear();
                                if (channel.receive(buffer) == null) {
                                    return;
                                }
                                counter.add(buffer.position());
                            }
                        }
                        catch (IOException ex) {
                            throw new IllegalStateException(ex);
                        }
                    });
                }
            }
            catch (IOException | IllegalStateException ex) {
                // Closed by close(): the end of the run.
            }
        }, "selector-udp-sink");
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
                return "selector-udp-sink";
            }

            @Override
            public void close() throws Exception {
                selector.close();
                channel.close();
                thread.join(5000);
            }
        };
    }

    @Override
    public long[] udpPingPong(InetSocketAddress echo, int size, Rounds rounds) throws Exception {
        try (Selector selector = Selector.open(); DatagramChannel channel = DatagramChannel.open()) {
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.connect(echo);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer ping = ByteBuffer.allocateDirect(size);
            ByteBuffer pong = ByteBuffer.allocateDirect(65536);
            rounds.sending();
            channel.write(ping.clear());
            boolean[] more = {true};
            while (more[0]) {
                selector.select(key -> {
                    try {
                        while (more[0]) {
                            pong.clear();
                            if (channel.read(pong) <= 0) {
                                return;
                            }
                            if ((more[0] = rounds.pong())) {
                                rounds.sending();
                                channel.write(ping.clear());
                            }
                        }
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
            return rounds.await(0, TimeUnit.SECONDS);
        }
    }

    @Override
    public long[] tcpPingPong(SocketAddress echo, int size, Rounds rounds) throws Exception {
        try (Selector selector = Selector.open(); SocketChannel channel = open(echo)) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer ping = ByteBuffer.allocateDirect(size);
            ByteBuffer in = ByteBuffer.allocateDirect(65536);
            int[] pending = {0};
            boolean[] more = {true};
            rounds.sending();
            channel.write(ping.clear());
            while (more[0]) {
                selector.select(key -> {
                    try {
                        in.clear();
                        int read = channel.read(in);
                        if (read < 0) {
                            throw new EOFException("echo server closed the connection");
                        }
                        pending[0] += read;
                        if (pending[0] >= size) {
                            pending[0] -= size;
                            if ((more[0] = rounds.pong())) {
                                rounds.sending();
                                // 64 bytes into an empty socket buffer: written whole.
                                channel.write(ping.clear());
                            }
                        }
                    }
                    catch (IOException ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
            return rounds.await(0, TimeUnit.SECONDS);
        }
    }

    /**
     * Sends from one selector loop: writes while the kernel takes bytes, then waits for OP_WRITE, as an event loop
     * without a queue of its own does.
     */
    @Override
    public void tcpBulk(SocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        try (Selector selector = Selector.open(); SocketChannel channel = open(sink)) {
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, 0);
            ByteBuffer data = chunk.duplicate();
            long sent = 0;
            while (sent < chunks) {
                channel.write(data);
                if (!data.hasRemaining()) {
                    sent++;
                    data = chunk.duplicate();
                    continue;
                }
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select();
                selector.selectedKeys().clear();
                key.interestOps(0);
            }
        }
    }

    /**
     * Opens a blocking stream channel connected to a TCP (TCP_NODELAY on) or local address.
     * @param target where to
     * @return the connected channel
     * @throws IOException when the connect fails
     */
    static SocketChannel open(SocketAddress target) throws IOException {
        boolean local = target instanceof UnixDomainSocketAddress;
        SocketChannel channel = local ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            if (!local) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            channel.connect(target);
            return channel;
        }
        catch (IOException | RuntimeException ex) {
            channel.close();
            throw ex;
        }
    }

    /**
     * Opens non-blocking connections from one selector thread and keeps each registered for reading, as a minimal
     * event loop holds its idle connections.
     */
    @Override
    public AutoCloseable idleConnections(InetSocketAddress server, int count) throws Exception {
        Selector selector = Selector.open();
        List<SocketChannel> channels = new ArrayList<>(count);
        CountDownLatch connected = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
            int opened = 0;
            int inFlight = 0;
            try {
                while (selector.isOpen()) {
                    while (opened < count && inFlight < EngineContender.CONNECTS_IN_FLIGHT) {
                        SocketChannel channel = SocketChannel.open();
                        channels.add(channel);
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        if (channel.connect(server)) {
                            channel.register(selector, SelectionKey.OP_READ);
                            connected.countDown();
                        }
                        else {
                            channel.register(selector, SelectionKey.OP_CONNECT);
                            inFlight++;
                        }
                        opened++;
                    }
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            inFlight--;
                            connected.countDown();
                        }
                        else if (key.isReadable()) {
                            buffer.clear();
                            if (channel.read(buffer) < 0) {
                                key.cancel();
                                channel.close();
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (ClosedSelectorException ex) {
                // Closed by close(): the end of the run.
            }
            catch (IOException | RuntimeException ex) {
                failure.compareAndSet(null, ex);
                while (connected.getCount() > 0) {
                    connected.countDown();
                }
            }
        }, "selector-idle");
        thread.setDaemon(true);
        thread.start();
        AutoCloseable closer = () -> {
            selector.close();
            thread.join(10_000);
            PlainContender.closeAll(channels);
        };
        if (!connected.await(5, TimeUnit.MINUTES)) {
            closer.close();
            throw new TimeoutException(connected.getCount() + " of " + count + " connects did not complete");
        }
        if (failure.get() != null) {
            closer.close();
            throw new IllegalStateException("connect failed", failure.get());
        }
        return closer;
    }

    @Override
    public TcpServer tcpServer(ServerRole role) throws Exception {
        return new SelectorServer(role);
    }

    @Override
    public void close() {
        // Every role closes what it opened.
    }

}
