package dev.netstack.socket.bench.contender;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty 4.2 with one event loop thread, NIO or epoll transport, default allocator and channel options except
 * TCP_NODELAY (on, as for every contender) and a 512 KiB / 1 MiB write buffer water mark for bulk sends (the same
 * 1 MiB in flight as the engine's send window; Netty's default 64 KiB mark would let one 64 KiB write in at a time).
 */
public final class NettyContender implements Contender {

    private final String id;

    private final EventLoopGroup group;

    private final Class<? extends Channel> datagramChannel;

    private final Class<? extends Channel> socketChannel;

    private final Class<? extends ServerChannel> serverChannel;

    private NettyContender(String id, IoHandlerFactory io, Class<? extends Channel> datagramChannel,
            Class<? extends Channel> socketChannel, Class<? extends ServerChannel> serverChannel) {
        this.id = id;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(id + "-io"), io);
        this.datagramChannel = datagramChannel;
        this.socketChannel = socketChannel;
        this.serverChannel = serverChannel;
    }

    /**
     * Netty with the NIO transport.
     * @return the contender
     */
    public static NettyContender nio() {
        return new NettyContender("netty-nio", NioIoHandler.newFactory(), NioDatagramChannel.class,
                NioSocketChannel.class, NioServerSocketChannel.class);
    }

    /**
     * Netty with the native epoll transport.
     * @return the contender
     * @throws UnsupportedOperationException when the native library does not load here
     */
    public static NettyContender epoll() {
        if (!Epoll.isAvailable()) {
            throw new UnsupportedOperationException("epoll is not available: " + Epoll.unavailabilityCause());
        }
        return new NettyContender("netty-epoll", EpollIoHandler.newFactory(), EpollDatagramChannel.class,
                EpollSocketChannel.class, EpollServerSocketChannel.class);
    }

    @Override
    public String ioThreadPrefix() {
        return this.id + "-io-";
    }

    @Override
    public String id() {
        return this.id;
    }

    @Override
    public UdpSink udpSink() throws Exception {
        Counter counter = new Counter();
        Channel channel = new Bootstrap().group(this.group).channel(this.datagramChannel)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        counter.add(packet.content().readableBytes());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
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
                return NettyContender.this.id + "-io-";
            }

            @Override
            public void close() throws Exception {
                channel.close().sync();
            }
        };
    }

    @Override
    public void tcpBulk(SocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        bulk(sink, chunk, chunks, null);
    }

    /** As TCP bulk, through an {@code SslHandler} (JDK provider) that starts the sends once its handshake is done. */
    @Override
    public void tlsBulk(InetSocketAddress sink, ByteBuffer chunk, long chunks) throws Exception {
        bulk(sink, chunk, chunks, NettyTls.context(true));
    }

    /** A TCP, local (Unix domain) or TLS bulk sender: {@code tls} only with an {@code InetSocketAddress}. */
    private void bulk(SocketAddress sink, ByteBuffer chunk, long chunks, SslContext tls) throws Exception {
        ByteBuf data = Unpooled.unreleasableBuffer(Unpooled.directBuffer(chunk.remaining()).writeBytes(chunk.duplicate()));
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong written = new AtomicLong();
        ChannelFutureListener progress = future -> {
            if (!future.isSuccess()) {
                failure.compareAndSet(null, future.cause());
                done.countDown();
            }
            else if (written.incrementAndGet() == chunks) {
                done.countDown();
            }
        };
        Channel channel = streamBootstrap(sink)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
                .handler(NettyTls.first(tls, (tls != null) ? (InetSocketAddress) sink : null,
                        new ChannelInboundHandlerAdapter() {
                    private long queued;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        if (tls == null) {
                            pump(ctx);
                        }
                        ctx.fireChannelActive();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        if (event instanceof SslHandshakeCompletionEvent handshake) {
                            if (handshake.isSuccess()) {
                                pump(ctx);
                            }
                            else {
                                failure.compareAndSet(null, handshake.cause());
                                done.countDown();
                            }
                        }
                        ctx.fireUserEventTriggered(event);
                    }

                    @Override
                    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                        pump(ctx);
                        ctx.fireChannelWritabilityChanged();
                    }

                    // Writes while the channel is writable, as Netty applications do for flow control.
                    private void pump(ChannelHandlerContext ctx) {
                        Channel ch = ctx.channel();
                        boolean wrote = false;
                        while (ch.isWritable() && this.queued < chunks) {
                            ch.write(data.duplicate()).addListener(progress);
                            this.queued++;
                            wrote = true;
                        }
                        if (wrote) {
                            ch.flush();
                        }
                    }
                }))
                .connect(nettyAddress(sink)).sync().channel();
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new TimeoutException("TCP bulk stalled after " + written.get() + " of " + chunks + " writes");
            }
            if (failure.get() != null) {
                throw new IllegalStateException("write failed", failure.get());
            }
        }
        finally {
            channel.close().sync();
        }
    }

    @Override
    public long[] udpPingPong(InetSocketAddress echo, int size, Rounds rounds) throws Exception {
        ByteBuf ping = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
        Channel channel = new Bootstrap().group(this.group).channel(this.datagramChannel)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        if (rounds.pong()) {
                            rounds.sending();
                            ctx.writeAndFlush(new DatagramPacket(ping.duplicate(), echo), ctx.voidPromise());
                        }
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            channel.eventLoop().execute(() -> {
                rounds.sending();
                channel.writeAndFlush(new DatagramPacket(ping.duplicate(), echo), channel.voidPromise());
            });
            return rounds.await(10, TimeUnit.MINUTES);
        }
        finally {
            channel.close().sync();
        }
    }

    @Override
    public long[] tcpPingPong(SocketAddress echo, int size, Rounds rounds) throws Exception {
        ByteBuf ping = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
        Channel channel = streamBootstrap(echo)
                .handler(new ChannelInboundHandlerAdapter() {
                    private int pending;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf in = (ByteBuf) msg;
                        this.pending += in.readableBytes();
                        in.release();
                        if (this.pending >= size) {
                            this.pending -= size;
                            if (rounds.pong()) {
                                rounds.sending();
                                ctx.writeAndFlush(ping.duplicate(), ctx.voidPromise());
                            }
                        }
                    }
                })
                .connect(nettyAddress(echo)).sync().channel();
        try {
            channel.eventLoop().execute(() -> {
                rounds.sending();
                channel.writeAndFlush(ping.duplicate(), channel.voidPromise());
            });
            return rounds.await(10, TimeUnit.MINUTES);
        }
        finally {
            channel.close().sync();
        }
    }

    /**
     * Starts a client bootstrap for a stream: TCP with TCP_NODELAY, or (epoll only) a Unix domain socket.
     */
    private Bootstrap streamBootstrap(SocketAddress target) {
        if (target instanceof UnixDomainSocketAddress) {
            if (this.socketChannel != EpollSocketChannel.class) {
                throw unsupported("local streams (the epoll transport has them)");
            }
            return new Bootstrap().group(this.group).channel(EpollDomainSocketChannel.class);
        }
        return new Bootstrap().group(this.group).channel(this.socketChannel).option(ChannelOption.TCP_NODELAY, true);
    }

    private static SocketAddress nettyAddress(SocketAddress target) {
        return (target instanceof UnixDomainSocketAddress unix) ? new DomainSocketAddress(unix.getPath().toString())
                : target;
    }

    @Override
    public AutoCloseable idleConnections(InetSocketAddress server, int count) throws Exception {
        Bootstrap bootstrap = new Bootstrap().group(this.group).channel(this.socketChannel)
                .option(ChannelOption.TCP_NODELAY, true).handler(new Idle());
        List<Channel> channels = new ArrayList<>(count);
        Semaphore inFlight = new Semaphore(EngineContender.CONNECTS_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch connected = new CountDownLatch(count);
        for (int i = 0; i < count && failure.get() == null; i++) {
            inFlight.acquire();
            ChannelFuture future = bootstrap.connect(server);
            channels.add(future.channel());
            future.addListener(f -> {
                if (!f.isSuccess()) {
                    failure.compareAndSet(null, f.cause());
                }
                inFlight.release();
                connected.countDown();
            });
        }
        if (failure.get() == null && !connected.await(5, TimeUnit.MINUTES)) {
            throw new TimeoutException(connected.getCount() + " of " + count + " connects did not complete");
        }
        if (failure.get() != null) {
            closeAll(channels);
            throw new IllegalStateException("connect failed", failure.get());
        }
        return () -> closeAll(channels);
    }

    /**
     * A {@code ServerBootstrap} on the contender's one event loop (acceptor and connections alike), with the role
     * in a shared child handler: {@code ctx.close()} in {@code channelActive}; Netty's echo idiom (write each read
     * buffer back, flush when the read batch completes); or release what is read.
     */
    @Override
    public TcpServer tcpServer(ServerRole role) throws Exception {
        return server(role, null);
    }

    /** As the TCP server, with an {@code SslHandler} (JDK provider) first; the role starts when the handshake is done. */
    @Override
    public TcpServer tlsServer(ServerRole role) throws Exception {
        return server(role, NettyTls.context(false));
    }

    private TcpServer server(ServerRole role, SslContext tls) throws Exception {
        Counter accepted = new Counter();
        Channel channel = new ServerBootstrap().group(this.group).channel(this.serverChannel)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(NettyTls.first(tls, null, new ServerHandler(role, accepted, tls != null)))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        return new TcpServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public Counter accepted() {
                return accepted;
            }

            @Override
            public String threadName() {
                return NettyContender.this.id + "-io-";
            }

            @Override
            public void close() throws Exception {
                channel.close().sync();
            }
        };
    }

    @Override
    public UdpSender udpSender(InetSocketAddress target, int size) throws Exception {
        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
        Channel channel = new Bootstrap().group(this.group).channel(this.datagramChannel)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        AtomicInteger completed = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ChannelFutureListener listener = future -> {
            if (!future.isSuccess()) {
                failure.compareAndSet(null, future.cause());
            }
            completed.incrementAndGet();
        };
        return new UdpSender() {
            private int issued;

            @Override
            public void sendAndAwait(int count) throws Exception {
                // From a non-loop thread, like the engine's callers: each write is handed to the loop.
                for (int i = 0; i < count; i++) {
                    channel.writeAndFlush(new DatagramPacket(payload.duplicate(), target)).addListener(listener);
                }
                this.issued += count;
                Waits.until(() -> completed.get() >= this.issued, "Netty UDP sends");
                if (failure.get() != null) {
                    throw new IllegalStateException("send failed", failure.get());
                }
            }

            @Override
            public void close() throws Exception {
                channel.close().sync();
            }
        };
    }

    private static void closeAll(List<Channel> channels) {
        List<ChannelFuture> closing = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            closing.add(channel.close());
        }
        for (ChannelFuture future : closing) {
            future.awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        this.group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    /** The child handler of {@link #tcpServer}: counts each accepted connection and plays the role. */
    @Sharable
    private static final class ServerHandler extends ChannelInboundHandlerAdapter {

        private final ServerRole role;

        private final Counter accepted;

        private final boolean tls;

        ServerHandler(ServerRole role, Counter accepted, boolean tls) {
            this.role = role;
            this.accepted = accepted;
            this.tls = tls;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (!this.tls) {
                start(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent handshake) {
                if (handshake.isSuccess()) {
                    start(ctx);
                }
                else {
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        // The connection is the application's: accepted, or with TLS, accepted and its handshake done.
        private void start(ChannelHandlerContext ctx) {
            this.accepted.add(0);
            if (this.role == ServerRole.CLOSE) {
                ctx.close();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (this.role == ServerRole.ECHO) {
                ctx.write(msg, ctx.voidPromise());
            }
            else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (this.role == ServerRole.ECHO) {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset as the load closes its connections at the end of a run.
            ctx.close();
        }

    }

    /** Holds a connection and discards whatever arrives. */
    @Sharable
    private static final class Idle extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

    }

}
