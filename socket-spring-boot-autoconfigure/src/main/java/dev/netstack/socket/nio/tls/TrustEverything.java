package dev.netstack.socket.nio.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of {@code skipRemoteValidation}: any certificate passes, chain and name alike. An extended trust
 * manager, because the JDK wraps a plain one in its own checks, the name check among them.
 */
final class TrustEverything extends X509ExtendedTrustManager {

    static final TrustEverything INSTANCE = new TrustEverything();

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private TrustEverything() {
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // Validation is skipped on purpose.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // Validation is skipped on purpose.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Validation is skipped on purpose.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // Validation is skipped on purpose.
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Validation is skipped on purpose.
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // Validation is skipped on purpose.
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }

}
