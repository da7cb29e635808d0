package dev.multislot.connector.internal.transport;

import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS setup of one slot, read from its files once when the slot is created or changed.
 *
 * @param sslContext trusts only the cluster's CA; presents the client certificate when configured
 * @param caFile the CA file, named in TLS error messages
 * @param clientCertFile the client certificate file, if mutual TLS is configured
 * @param hostnameVerification whether HSM certificates must name the address dialled
 */
public record TlsMaterial(SslContext sslContext, Path caFile, Optional<Path> clientCertFile, boolean hostnameVerification) {

    /** A short description for error messages: which CA file is trusted, which certificate is presented. */
    public String describe() {
        return "trusting only CA file " + caFile
                + clientCertFile.map(c -> ", presenting client certificate " + c).orElse(", no client certificate")
                + (hostnameVerification ? "" : ", host name verification off");
    }
}
