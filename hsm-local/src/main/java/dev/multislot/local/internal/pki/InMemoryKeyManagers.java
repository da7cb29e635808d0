package dev.multislot.local.internal.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;

/**
 * A {@link KeyManagerFactory} over one key and its certificate, held in a key store that exists
 * only in memory.
 *
 * <p>Why not let Netty build it: Netty puts the key in a store of the default type, PKCS12, which
 * encrypts it with 10,000 PBKDF2 rounds and decrypts it again, about 50 ms per HSM and most of a
 * cluster's start, and its JDK server context ignores {@code keyStoreType}. A JKS store protects
 * the key in one pass; no one else ever sees it, so the stronger protection bought nothing.
 */
public final class InMemoryKeyManagers {

    private static final String ALIAS = "hsm";

    private InMemoryKeyManagers() {
    }

    /** Key managers that present {@code certificate} and sign with {@code key}. */
    public static KeyManagerFactory of(PrivateKey key, X509Certificate certificate) {
        // The store's password only satisfies the API: the store never leaves this method's objects.
        char[] password = new char[0];
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password, new X509Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot hold an HSM's key for TLS: " + e.getMessage(), e);
        }
    }
}
