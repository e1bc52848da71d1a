package dev.netstack.socket.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import dev.netstack.socket.nio.tls.TestPki;

/**
 * Peers this project did not write, made from the JDK's blocking sockets on loopback: a one-connection server with a
 * behaviour of the test's choosing, and {@code SSLContext}s with the test PKI's credentials.
 */
final class JdkTls {

    private JdkTls() {
    }

    /** What a plain peer does with its one accepted connection, on a thread of its own. */
    interface Behaviour {

        void run(Socket accepted, InputStream in, OutputStream out) throws Exception;

    }

    /**
     * A server on 127.0.0.1, port 0, that accepts one connection and runs the behaviour on it.
     * @param behaviour what to do
     * @return the peer; close it to stop it
     */
    static PlainPeer plainServer(Behaviour behaviour) throws IOException {
        return new PlainPeer(behaviour);
    }

    static final class PlainPeer implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket();

        final CompletableFuture<Void> done = new CompletableFuture<>();

        private volatile Socket accepted;

        private PlainPeer(Behaviour behaviour) throws IOException {
            this.listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread thread = new Thread(() -> {
                try (Socket socket = this.listener.accept()) {
                    this.accepted = socket;
                    behaviour.run(socket, socket.getInputStream(), socket.getOutputStream());
                    this.done.complete(null);
                }
                catch (Exception ex) {
                    this.done.completeExceptionally(ex);
                }
            }, "plain-peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return this.listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            this.listener.close();
            Socket socket = this.accepted;
            if (socket != null) {
                socket.close();
            }
        }

    }

    /**
     * The server side of TLS over a connection accepted as plaintext, with the test server's certificate: STARTTLS,
     * or a TLS peer that needs its plain socket at hand.
     */
    static SSLSocket serverOver(Socket socket) throws Exception {
        SSLSocket tls = (SSLSocket) context(TestPki.get().server).getSocketFactory()
            .createSocket(socket, null, socket.getPort(), false);
        tls.setUseClientMode(false);
        return tls;
    }

    /** A context that trusts the test CA, with the test client's certificate when {@code withCertificate}. */
    static SSLContext context(boolean withCertificate) throws Exception {
        return context(withCertificate ? TestPki.get().client : null);
    }

    /** A context that trusts the test CA and presents {@code own} when it is not {@code null}. */
    static SSLContext context(TestPki.Credential own) throws Exception {
        TestPki pki = TestPki.get();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (own != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] password = "test".toCharArray();
            keys.setKeyEntry("own", own.keys().getPrivate(), password,
                    new java.security.cert.Certificate[] { own.certificate() });
            keyManagers = KeyManagerFactory.getInstance("PKIX");
            keyManagers.init(keys, password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init((keyManagers != null) ? keyManagers.getKeyManagers() : null, trustManagers.getTrustManagers(),
                null);
        return context;
    }

}
