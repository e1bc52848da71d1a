package dev.netstack.socket.tls;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.netstack.socket.TLSProtocol;
import dev.netstack.socket.TLSSocketConnection;
import dev.netstack.socket.nio.NioSocket;
import dev.netstack.socket.nio.NioSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server's TLS connection whose first plaintext comes in the same read as the end of its handshake, before anyone
 * registered a 'message' callback: nothing is dropped, the plaintext waits for its consumer.
 */
@Timeout(30)
class TlsConnectionConsumerTests extends TlsTestSupport {

    @Test
    void plaintextThatCameWithTheHandshakeWaitsForItsConsumer() throws Exception {
        NioSocketFactory factory = factory();
        Server server = server(factory, local(serverOptions(TLSProtocol.TLSv13)), connection -> {
        });
        try (HoldingSocket plain = new HoldingSocket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()));
            SSLSocket tls = (SSLSocket) JdkTls.context(false).getSocketFactory()
                .createSocket(plain, "127.0.0.1", server.port(), false);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setProtocols(new String[] { "TLSv1.3" });
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            tls.getOutputStream().write("early".getBytes(StandardCharsets.UTF_8));
            tls.getOutputStream().flush();

            // The client's Finished and its first record reach the server in one write, so in one read.
            plain.release();
            TLSSocketConnection connection = server.nextConnection();
            await().until(() -> ((NioSocket) connection).bytesReceived() >= plain.released);
            Inbox inbox = Inbox.of(connection);

            assertThat(inbox.awaitText("early")).isEqualTo("early");
        }
    }

    /**
     * A socket whose output passes its first flight (the client hello) and holds everything after it until
     * {@link #release()}, which writes it in one piece.
     */
    private static final class HoldingSocket extends Socket {

        private final ByteArrayOutputStream held = new ByteArrayOutputStream();

        private boolean holding;

        private OutputStream out;

        /** Bytes written to the wire so far. */
        volatile long released;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (this.out == null) {
                OutputStream wire = super.getOutputStream();
                this.out = new FilterOutputStream(wire) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        synchronized (HoldingSocket.this) {
                            if (HoldingSocket.this.holding) {
                                HoldingSocket.this.held.write(bytes, offset, length);
                            }
                            else {
                                wire.write(bytes, offset, length);
                                HoldingSocket.this.released += length;
                            }
                        }
                    }

                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] { (byte) b }, 0, 1);
                    }

                    @Override
                    public void flush() throws IOException {
                        synchronized (HoldingSocket.this) {
                            wire.flush();
                            // The hello has gone: what follows waits.
                            HoldingSocket.this.holding = true;
                        }
                    }
                };
            }
            return this.out;
        }

        synchronized void release() throws IOException {
            OutputStream wire = super.getOutputStream();
            wire.write(this.held.toByteArray());
            wire.flush();
            this.released += this.held.size();
            this.held.reset();
        }

    }

}
