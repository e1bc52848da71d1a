package dev.netstack.socket.ssl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The JDK's blocking {@link SSLSocket}: a peer this project did not write, for one handshake on loopback.
 */
public final class JdkTlsPeer {

    private JdkTlsPeer() {
    }

    /**
     * Listens once with a server context on 127.0.0.1 and connects a client to it.
     * @param serverContext the server's context
     * @param clientContext the client's context
     * @return the CN of the certificate that the client received
     * @throws IOException when the handshake fails
     */
    public static String serverCommonName(SSLContext serverContext, SSLContext clientContext) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
            .createServerSocket(0, 1, loopback)) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket connection = (SSLSocket) server.accept()) {
                    connection.startHandshake();
                    connection.getOutputStream().write(1);
                    connection.getOutputStream().flush();
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
                .createSocket(loopback, server.getLocalPort())) {
                client.startHandshake();
                X509Certificate peer = (X509Certificate) client.getSession().getPeerCertificates()[0];
                client.getInputStream().read();
                accepted.join();
                return peer.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
            }
        }
    }

    /**
     * Connects to a TLS server on 127.0.0.1 and makes the handshake, checking that the server's certificate names
     * 127.0.0.1.
     * @param context the client's context
     * @param port the server's port
     * @return the connected socket, reads bounded to 10 s
     * @throws IOException when the connect or the handshake fails
     */
    public static SSLSocket connect(SSLContext context, int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /**
     * Writes a line and reads the answer's line.
     * @param socket a connected socket
     * @param line the line, without its end
     * @return the answer, without its end
     * @throws IOException when the connection fails
     */
    public static String exchange(SSLSocket socket, String line) throws IOException {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int next;
        while ((next = socket.getInputStream().read()) >= 0 && next != '\n') {
            answer.write(next);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

}
