package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@link TestPki} for tests of other packages (Spring's SSL bundles, the sockets against real peers): its
 * credentials as PEM files, replaced whole so that a file watcher never reads half of one.
 */
public final class TestPkiFiles {

    private TestPkiFiles() {
    }

    /**
     * The credentials a test may write.
     */
    public enum Name {

        /** The CA's certificate (no key is written). */
        CA,

        /** The server's certificate for 127.0.0.1, ::1 and localhost (CN=localhost, EC). */
        SERVER,

        /** Another certificate of the same CA for the same names (CN=localhost RSA). */
        RSA_SERVER,

        /** A client certificate of the CA (CN=test client). */
        CLIENT,

        /** A server certificate from a CA nobody trusts (CN=localhost unknown CA). */
        UNKNOWN_CA

    }

    /**
     * Writes a certificate and its PKCS#8 key (none for the CA), each file replaced at once.
     * @param name which credential
     * @param certificate the certificate's file
     * @param key the key's file, or {@code null}
     */
    public static void write(Name name, Path certificate, Path key) {
        TestPki.Credential credential = credential(name);
        replace(certificate, credential.certificatePem());
        if (key != null) {
            replace(key, credential.pkcs8Pem());
        }
    }

    /**
     * Returns a certificate as PEM.
     * @param name which credential
     * @return the PEM text
     */
    public static String certificatePem(Name name) {
        return credential(name).certificatePem();
    }

    /**
     * Returns the common name of a credential's certificate.
     * @param name which credential
     * @return e.g. {@code localhost}
     */
    public static String commonName(Name name) {
        return credential(name).certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    /**
     * Makes a context that trusts the CA and presents no certificate: a client of the JDK's own sockets.
     * @return the context
     */
    public static SSLContext trustingCa() {
        return trustingCa(null);
    }

    /**
     * Makes a context that trusts the CA and presents a certificate.
     * @param presented the credential it presents, or {@code null} for none
     * @return the context
     */
    public static SSLContext trustingCa(Name presented) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", TestPki.get().ca.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            KeyManagerFactory keys = null;
            if (presented != null) {
                TestPki.Credential credential = credential(presented);
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("own", credential.keys().getPrivate(), new char[0],
                        new Certificate[] { credential.certificate() });
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init((keys != null) ? keys.getKeyManagers() : null, factory.getTrustManagers(), null);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static TestPki.Credential credential(Name name) {
        TestPki pki = TestPki.get();
        return switch (name) {
            case CA -> pki.ca;
            case SERVER -> pki.server;
            case RSA_SERVER -> pki.rsaServer;
            case CLIENT -> pki.client;
            case UNKNOWN_CA -> pki.unknownCa;
        };
    }

    private static void replace(Path file, String text) {
        try {
            Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), text,
                    StandardCharsets.US_ASCII);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
