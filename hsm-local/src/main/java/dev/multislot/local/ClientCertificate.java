package dev.multislot.local;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A client certificate signed by a cluster's CA, for mutual TLS, and its private key, both PEM
 * files (see {@link LocalCluster#issueClientCertificate(Path, String)}).
 *
 * @param certFile the certificate ({@code BEGIN CERTIFICATE})
 * @param keyFile the private key, in the format asked for; readable by its owner only
 */
public record ClientCertificate(Path certFile, Path keyFile) {
    public ClientCertificate {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
