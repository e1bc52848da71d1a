package dev.netstack.socket.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import dev.netstack.socket.TLSSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import dev.netstack.socket.tcp.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close after sends, against a JDK {@code SSLSocket} peer that is still sending when it comes (as a server's session
 * tickets can be): the close waits for the peer's end of the connection, so that what the peer sends late does not
 * make the kernel reset a connection whose last bytes of ours are still on their way.
 */
@Timeout(30)
class TlsCloseTests extends TlsTestSupport {

    /** More than the peer's receive buffer holds while it does not read: the rest waits in our kernel's buffer. */
    private static final int SIZE = 512 * 1024;

    @Test
    void whatThePeerSendsAfterOurCloseResetsNothingAndEveryByteArrives() throws Exception {
        NioSocketFactory factory = factory();
        byte[] data = new byte[SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        CountDownLatch sentAndClosing = new CountDownLatch(1);
        CompletableFuture<byte[]> peerReceived = new CompletableFuture<>();
        try (JdkTls.PlainPeer peer = JdkTls.plainServer((socket, in, out) -> {
            SSLSocket tls = JdkTls.serverOver(socket);
            tls.startHandshake();
            sentAndClosing.await(Await.SECONDS, TimeUnit.SECONDS);
            tls.getOutputStream().write("late\n".getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            try {
                peerReceived.complete(tls.getInputStream().readAllBytes());
            }
            catch (IOException ex) {
                // Without the wait: "Connection reset", and the bytes still in our kernel's buffer are gone.
                peerReceived.completeExceptionally(ex);
                throw ex;
            }
            tls.close();
        })) {
            TLSSocket client = factory.constructTLSSocketInstance();
            Await.result(client.connect(to(peer.port(), trusting())));
            CompletableFuture<Void> sent = client.send(data);
            CompletableFuture<Void> closed = client.close();
            // Every byte is in the kernel and the close has its turn right behind the send: the peer speaks now.
            Await.result(sent);
            sentAndClosing.countDown();

            assertThat(peerReceived.get(Await.SECONDS, TimeUnit.SECONDS)).as("what the peer read up to close_notify")
                .isEqualTo(data);
            Await.result(closed);
            assertThat(Await.result(client.getState()).isClose()).isTrue();
            peer.done.get(Await.SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCloseWaitsForAPeerThatNeverEndsItsSideNoLongerThanTheBound() throws Exception {
        NioSocketFactory factory = factory();
        CountDownLatch testOver = new CountDownLatch(1);
        try (JdkTls.PlainPeer peer = JdkTls.plainServer((socket, in, out) -> {
            SSLSocket tls = JdkTls.serverOver(socket);
            tls.startHandshake();
            // Neither reads nor closes.
            testOver.await(Await.SECONDS, TimeUnit.SECONDS);
        })) {
            TLSSocket client = factory.constructTLSSocketInstance();
            Await.result(client.connect(to(peer.port(), trusting())));
            Await.result(client.send("bye"));
            long started = System.nanoTime();

            Await.result(client.close());

            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(waitedMillis).as("the close's wait for the peer, ms").isLessThan(Await.SECONDS * 1000L);
            assertThat(Await.result(client.getState()).isClose()).isTrue();
            assertThat(factory.sockets()).isEmpty();
            testOver.countDown();
        }
    }

}
