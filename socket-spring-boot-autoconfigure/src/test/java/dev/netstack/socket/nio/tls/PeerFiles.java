package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The test PKI's CA, server and client credentials as PEM files, for peers that read files ({@code openssl},
 * Node.js).
 *
 * @param ca the CA certificate
 * @param server the server's certificate and PKCS#8 key
 * @param client the client's certificate and PKCS#8 key
 */
public record PeerFiles(Path ca, Path[] server, Path[] client) {

    public static PeerFiles write(Path dir) throws IOException {
        TestPki pki = TestPki.get();
        return new PeerFiles(pki.ca.write(dir, "ca")[0], pki.server.write(dir, "server"),
                pki.client.write(dir, "client"));
    }

    public String serverCert() {
        return this.server[0].toString();
    }

    public String serverKey() {
        return this.server[1].toString();
    }

    public String clientCert() {
        return this.client[0].toString();
    }

    public String clientKey() {
        return this.client[1].toString();
    }

    public String caFile() {
        return this.ca.toString();
    }

}
