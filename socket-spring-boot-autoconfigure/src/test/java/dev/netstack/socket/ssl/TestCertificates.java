package dev.netstack.socket.ssl;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time: a CA, and certificates it issues for 127.0.0.1, ::1 and localhost (EC P-256, fast
 * to make), written as PEM files as Spring Boot's {@code spring.ssl.bundle.pem.*} and openssl read them.
 */
public final class TestCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /**
     * Makes a self-signed CA.
     * @param commonName its CN
     * @return the CA
     */
    public static Issued ca(String commonName) {
        KeyPair keys = keyPair();
        return sign(commonName, keys, commonName, keys.getPrivate(), true);
    }

    /**
     * Issues a certificate for the loopback addresses and localhost, for a server or a client.
     * @param issuer the CA
     * @param commonName its CN
     * @return the certificate and its key
     */
    public static Issued issue(Issued issuer, String commonName) {
        return sign(commonName, keyPair(), subjectName(issuer), issuer.key(), false);
    }

    private static String subjectName(Issued issuer) {
        return issuer.certificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static Issued sign(String commonName, KeyPair keys, String issuerName, PrivateKey issuerKey, boolean ca) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerName),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), new X500Name("CN=" + commonName), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!ca) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.iPAddress, "::1"),
                                new GeneralName(GeneralName.dNSName, "localhost") }));
            }
            X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
            return new Issued(certificate, keys.getPrivate());
        }
        catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A certificate and its private key.
     * @param certificate the certificate
     * @param key its key
     */
    public record Issued(X509Certificate certificate, PrivateKey key) {

        /**
         * Returns the certificate as PEM.
         * @return the PEM text
         */
        public String certificatePem() {
            return pem(this.certificate);
        }

        /**
         * Returns the key as unencrypted PKCS#8 PEM.
         * @return the PEM text
         */
        public String keyPem() {
            try {
                return pem(new JcaPKCS8Generator(this.key, null).generate());
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        /**
         * Writes the certificate and the key as PEM files, each replaced at once (a watcher never sees half a file).
         * @param certificateFile the certificate's file
         * @param keyFile the key's file
         */
        public void write(Path certificateFile, Path keyFile) {
            replace(certificateFile, certificatePem());
            replace(keyFile, keyPem());
        }

        /**
         * Returns the subject's common name.
         * @return the CN
         */
        public String commonName() {
            return this.certificate.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
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

        private static String pem(Object object) {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(object);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return out.toString();
        }

    }

}
