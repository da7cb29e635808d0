package dev.multislot.local.internal.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** A certificate and the key pair it certifies. {@code toString} never shows the private key. */
public record IssuedCertificate(X509Certificate certificate, KeyPair keyPair) {
    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName() + "]";
    }
}
