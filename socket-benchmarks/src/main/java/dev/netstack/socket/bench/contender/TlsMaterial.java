package dev.netstack.socket.bench.contender;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one key and certificate of the TLS workloads (EC P-256, for 127.0.0.1), made once with the JDK's
 * {@code keytool} into a PKCS#12 file in the temporary directory and shared by every JVM of a run: every contender
 * and every peer uses the same {@link SSLContext} (the JDK provider), which presents that certificate and trusts it,
 * with TLS 1.3 only.
 */
public final class TlsMaterial {

    /** The protocol every TLS workload runs. */
    public static final String PROTOCOL = "TLSv1.3";

    private static final char[] PASSWORD = "socket-bench".toCharArray();

    private static volatile SSLContext context;

    private TlsMaterial() {
    }

    /**
     * Returns the shared context, making the key file on first use.
     * @return the context
     */
    public static SSLContext context() {
        SSLContext made = context;
        if (made == null) {
            synchronized (TlsMaterial.class) {
                if (context == null) {
                    context = load(keyStore());
                }
                made = context;
            }
        }
        return made;
    }

    private static Path keyStore() {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "socket-bench-tls.p12");
        if (Files.exists(file)) {
            return file;
        }
        try {
            Path made = Files.createTempFile(file.getParent(), "socket-bench-tls", ".p12");
            Files.delete(made);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30", "-dname",
                    "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", made.toString(),
                    "-storepass", new String(PASSWORD)))
                .redirectErrorStream(true)
                .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(output));
            }
            // Moved into place whole, so that a JVM started meanwhile never reads half a file.
            Files.move(made, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot make the TLS key file " + file, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static SSLContext load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("bench", store.getCertificate("bench"));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext made = SSLContext.getInstance("TLS");
            made.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return made;
        }
        catch (IOException | GeneralSecurityException ex) {
            throw new IllegalStateException("cannot read the TLS key file " + file, ex);
        }
    }

}
