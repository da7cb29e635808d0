package dev.multislot.api.spi;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a connector needs to know about one cluster: its id, its HSM servers and its TLS files.
 *
 * <p>A value: two configs are equal when every field is, which is how a reload tells a changed
 * cluster from an unchanged one.
 *
 * @param clusterId the cluster (a synthetic id for files that name no cluster, see the config store)
 * @param region the AWS region it was discovered in, if recorded
 * @param hsmCaFile the CA certificate (PEM) that signed the HSMs' certificates; the only trust anchor
 * @param servers the HSM servers, in file order
 * @param clientCertFile the client certificate (PEM) for mutual TLS, if any
 * @param clientKeyFile its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC), present exactly when the certificate is
 * @param endpoint the CloudHSM API endpoint it was discovered through, if recorded; topology
 *     refresh asks the same one
 * @param options the SDK's per-cluster settings ({@link ClusterOptions#DEFAULTS} when the file has none)
 */
public record ClusterConfig(ClusterId clusterId,
                            Optional<String> region,
                            Path hsmCaFile,
                            List<ServerConfig> servers,
                            Optional<Path> clientCertFile,
                            Optional<Path> clientKeyFile,
                            Optional<URI> endpoint,
                            ClusterOptions options) {

    /** A cluster without a recorded endpoint and with the SDK's default options. */
    public ClusterConfig(ClusterId clusterId, Optional<String> region, Path hsmCaFile, List<ServerConfig> servers,
                         Optional<Path> clientCertFile, Optional<Path> clientKeyFile) {
        this(clusterId, region, hsmCaFile, servers, clientCertFile, clientKeyFile, Optional.empty(), ClusterOptions.DEFAULTS);
    }

    public ClusterConfig {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(hsmCaFile, "hsmCaFile");
        servers = List.copyOf(servers);
        Objects.requireNonNull(clientCertFile, "clientCertFile");
        Objects.requireNonNull(clientKeyFile, "clientKeyFile");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        if (clientCertFile.isPresent() != clientKeyFile.isPresent()) {
            throw new IllegalArgumentException(clusterId + ": a client certificate and its key go together; "
                    + (clientCertFile.isPresent() ? "the key is missing" : "the certificate is missing"));
        }
    }

    /** The addresses of the enabled servers, in file order. */
    public List<HsmAddress> enabledHsms() {
        return servers.stream().filter(ServerConfig::enabled).map(ServerConfig::address).toList();
    }

    /** This cluster with other servers. */
    public ClusterConfig withServers(List<ServerConfig> newServers) {
        return new ClusterConfig(clusterId, region, hsmCaFile, newServers, clientCertFile, clientKeyFile, endpoint, options);
    }

    /** This cluster with other SDK options. */
    public ClusterConfig withOptions(ClusterOptions newOptions) {
        return new ClusterConfig(clusterId, region, hsmCaFile, servers, clientCertFile, clientKeyFile, endpoint, newOptions);
    }

    /** Whether this cluster uses mutual TLS with a client certificate. */
    public boolean hasClientCertificate() {
        return clientCertFile.isPresent();
    }
}
