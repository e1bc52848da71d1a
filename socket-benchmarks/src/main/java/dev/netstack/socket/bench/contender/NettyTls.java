package dev.netstack.socket.bench.contender;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;

/**
 * Netty's TLS for the TLS workloads: {@code SslHandler} on the JDK provider, over the one {@code SSLContext} of
 * {@link TlsMaterial} that every contender uses, TLS 1.3 only. The fair comparison with the engine: both run the JDK's
 * {@code SSLEngine}.
 */
final class NettyTls {

    private NettyTls() {
    }

    /**
     * Wraps the shared context for one side.
     * @param client whether for a client
     * @return Netty's context
     */
    static SslContext context(boolean client) {
        return new JdkSslContext(TlsMaterial.context(), client, null, IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, new String[] { TlsMaterial.PROTOCOL }, false);
    }

    /**
     * Puts an {@code SslHandler} before a handler, or the handler alone without TLS.
     * @param tls the context, or {@code null} for plain TCP
     * @param peer the server a client connects to (for its engine's peer host and port), or {@code null} on a server
     * @param handler the application's handler
     * @return what to give the bootstrap
     */
    static ChannelHandler first(SslContext tls, InetSocketAddress peer, ChannelHandler handler) {
        if (tls == null) {
            return handler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline()
                    .addLast((peer != null) ? tls.newHandler(channel.alloc(), peer.getHostString(), peer.getPort())
                            : tls.newHandler(channel.alloc()))
                    .addLast(handler);
            }
        };
    }

}
