package dev.netstack.socket.nio.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of one key and its chain, from {@code cert} and {@code key}. Made directly rather than through a
 * key store: a PKCS#12 store encrypts the key on entry and decrypts it again for the key manager, which would cost
 * two password derivations on every {@code connect}.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "cert";

    private final PrivateKey key;

    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    /** The key whenever its type fits: a client sends its certificate whether or not it names the server's CAs. */
    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        if (keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            if (fits(keyType)) {
                return ALIAS;
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] { ALIAS } : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? this.chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? this.key : null;
    }

    /** The JDK asks by key algorithm ("RSA", "EC", "EdDSA", "RSASSA-PSS"), one signature scheme after another. */
    private boolean fits(String keyType) {
        return this.key.getAlgorithm().equals(keyType);
    }

}
