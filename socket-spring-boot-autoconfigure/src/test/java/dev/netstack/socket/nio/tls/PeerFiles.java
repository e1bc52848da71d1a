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
record PeerFiles(Path ca, Path[] server, Path[] client) {

    static PeerFiles write(Path dir) throws IOException {
        TestPki pki = TestPki.get();
        return new PeerFiles(pki.ca.write(dir, "ca")[0], pki.server.write(dir, "server"),
                pki.client.write(dir, "client"));
    }

    String serverCert() {
        return this.server[0].toString();
    }

    String serverKey() {
        return this.server[1].toString();
    }

    String clientCert() {
        return this.client[0].toString();
    }

    String clientKey() {
        return this.client[1].toString();
    }

    String caFile() {
        return this.ca.toString();
    }

}
