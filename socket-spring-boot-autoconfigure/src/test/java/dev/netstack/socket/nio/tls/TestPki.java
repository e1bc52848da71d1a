package dev.netstack.socket.nio.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.netstack.socket.TLSSecureOptions;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates and keys made at test time with BouncyCastle, once per test JVM: a CA, server certificates for
 * 127.0.0.1, ::1 and localhost (EC and RSA), a client certificate, and the bad ones — expired, for another name,
 * from an unknown CA. Keys are written as PKCS#8, PKCS#1 / SEC1 and encrypted PKCS#8 PEM.
 */
public final class TestPki {

    public static final String PASSWORD = "s3cret pass";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private static TestPki instance;

    public final Credential ca;

    public final Credential server;

    public final Credential rsaServer;

    public final Credential client;

    public final Credential expired;

    public final Credential otherName;

    public final Credential unknownCa;

    public final Credential unknownCaClient;

    /**
     * A key pair with its certificate.
     * @param certificate the certificate
     * @param keys the key pair
     */
    public record Credential(X509Certificate certificate, KeyPair keys) {

        public String certificatePem() {
            return pem(this.certificate);
        }

        /** {@code PRIVATE KEY}. */
        public String pkcs8Pem() {
            try {
                return pem(new JcaPKCS8Generator(this.keys.getPrivate(), null));
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        /**
         * {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1) as BouncyCastle writes them: its SEC1 key
         * names no curve (the JDK's PKCS#8 keeps the curve outside), so it needs an EC PARAMETERS block before it.
         */
        String traditionalPem() {
            return pem(this.keys.getPrivate());
        }

        /** {@code EC PRIVATE KEY} as OpenSSL writes it: SEC1 with its curve and public key (P-256 keys only). */
        String sec1Pem() {
            ECPrivateKey key = (ECPrivateKey) this.keys.getPrivate();
            DERBitString point = new DERBitString(SubjectPublicKeyInfo.getInstance(this.keys.getPublic().getEncoded())
                .getPublicKeyData().getBytes());
            try {
                byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), point,
                        SECObjectIdentifiers.secp256r1).getEncoded();
                return pem(new PemObject("EC PRIVATE KEY", der));
            }
            catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }

        /** {@code ENCRYPTED PRIVATE KEY}: PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC, as OpenSSL 3 writes it. */
        String encryptedPem(String password) {
            try {
                // BouncyCastle's own provider for the encryption, given here, not installed in the JVM.
                JceOpenSSLPKCS8EncryptorBuilder encryptor = new JceOpenSSLPKCS8EncryptorBuilder(
                        PKCS8Generator.AES_256_CBC).setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setProvider(new BouncyCastleProvider())
                    .setPassword(password.toCharArray());
                return pem(new JcaPKCS8Generator(this.keys.getPrivate(), encryptor.build()));
            }
            catch (IOException | OperatorCreationException ex) {
                throw new IllegalStateException(ex);
            }
        }

        public byte[] der() {
            try {
                return this.certificate.getEncoded();
            }
            catch (GeneralSecurityException ex) {
                throw new IllegalStateException(ex);
            }
        }

        /** Secure options with this certificate and its PKCS#8 key. */
        public TLSSecureOptions options() {
            TLSSecureOptions options = new TLSSecureOptions();
            options.setCert(List.of(certificatePem()));
            options.setKey(pkcs8Pem());
            return options;
        }

        /** Writes the certificate and the PKCS#8 key to {@code dir}, as {@code name.crt} and {@code name.key}. */
        public Path[] write(Path dir, String name) throws IOException {
            Path cert = Files.writeString(dir.resolve(name + ".crt"), certificatePem(), StandardCharsets.US_ASCII);
            Path key = Files.writeString(dir.resolve(name + ".key"), pkcs8Pem(), StandardCharsets.US_ASCII);
            return new Path[] { cert, key };
        }

    }

    private TestPki() throws Exception {
        Instant now = Instant.now();
        Instant notBefore = now.minus(Duration.ofDays(1));
        Instant notAfter = now.plus(Duration.ofDays(2));
        this.ca = authority("CN=netstack test CA", notBefore, notAfter);
        Credential otherCa = authority("CN=unknown test CA", notBefore, notAfter);
        GeneralNames local = new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"), new GeneralName(GeneralName.dNSName, "localhost") });
        this.server = issue(this.ca, "CN=localhost", ec(), local, KeyPurposeId.id_kp_serverAuth, notBefore, notAfter);
        this.rsaServer = issue(this.ca, "CN=localhost RSA", rsa(), local, KeyPurposeId.id_kp_serverAuth, notBefore,
                notAfter);
        this.client = issue(this.ca, "CN=test client", ec(), null, KeyPurposeId.id_kp_clientAuth, notBefore, notAfter);
        this.expired = issue(this.ca, "CN=localhost expired", ec(), local, KeyPurposeId.id_kp_serverAuth,
                now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
        this.otherName = issue(this.ca, "CN=other.invalid", ec(),
                new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "other.invalid"),
                        new GeneralName(GeneralName.iPAddress, "192.0.2.1") }),
                KeyPurposeId.id_kp_serverAuth, notBefore, notAfter);
        this.unknownCa = issue(otherCa, "CN=localhost unknown CA", ec(), local, KeyPurposeId.id_kp_serverAuth,
                notBefore, notAfter);
        this.unknownCaClient = issue(otherCa, "CN=client of unknown CA", ec(), null, KeyPurposeId.id_kp_clientAuth,
                notBefore, notAfter);
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki();
            }
            catch (Exception ex) {
                throw new IllegalStateException("cannot make the test certificates", ex);
            }
        }
        return instance;
    }

    /** The CA as a {@code ca} list. */
    public List<String> caList() {
        return List.of(this.ca.certificatePem());
    }

    private static Credential authority(String name, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name(name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(notBefore),
                Date.from(notAfter), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Credential(sign(builder, keys), keys);
    }

    private static Credential issue(Credential issuer, String name, KeyPair keys, GeneralNames names,
            KeyPurposeId purpose, Instant notBefore, Instant notAfter) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name(name), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (names != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, names);
        }
        return new Credential(sign(builder, issuer.keys()), keys);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        String algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return text.toString();
    }

}
