package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.DiscoveredCluster;
import dev.multislot.api.spi.DiscoveredHsm;
import dev.multislot.api.spi.DiscoveryRequest;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code add-cluster}: finds a cluster's HSMs with {@code DescribeClusters} and writes the cluster
 * into the config file. Adding a cluster that is already there refreshes its HSM list.
 */
@Command(name = "add-cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Add a cluster (a PKCS#11 slot) to the config file.",
                "Calls DescribeClusters to find the ENI addresses of the cluster's usable HSMs (ACTIVE or DEGRADED)",
                "and writes them, with port 2223, the CA file, the region and the client certificate, to the file.",
                "Adding a cluster that is already configured refreshes its HSM list."})
final class AddClusterCommand implements Callable<Integer> {

    /** Where the CloudHSM SDK keeps the cluster's CA certificate, used when --hsm-ca-cert is not given. */
    static final Path DEFAULT_CA_FILE = Path.of("/opt/cloudhsm/etc/customerCA.crt");

    /**
     * How long to wait for discovery, beyond its own lookup deadline ({@link AwsDiscoveryFactory#LOOKUP_TIMEOUT}),
     * which ends every lookup with a typed error naming the endpoint; this one only guards against a
     * discovery that has no deadline of its own.
     */
    private static final Duration DISCOVERY_DEADLINE = AwsDiscoveryFactory.LOOKUP_TIMEOUT.plusSeconds(15);

    @Option(names = "--cluster-id", required = true, paramLabel = "<CLUSTER ID>",
            description = "The cluster to add, such as cluster-1234567.")
    String clusterId;

    @Option(names = "--region", paramLabel = "<REGION>",
            description = "The cluster's region. Default: $AWS_DEFAULT_REGION, else $AWS_REGION, else the active profile's"
                    + " region in the AWS config file, else us-east-1.")
    String region;

    @Option(names = "--endpoint", paramLabel = "<ENDPOINT>",
            description = "The CloudHSM API endpoint for DescribeClusters, an http(s) URL.")
    String endpoint;

    @Option(names = "--hsm-ca-cert", paramLabel = "<HSM CA CERTIFICATE FILE>",
            description = "The cluster's CA certificate (PEM). Default: /opt/cloudhsm/etc/customerCA.crt.")
    Path hsmCaCert;

    @Option(names = {"--server-client-cert-file", "--client-cert-hsm-tls-file"}, paramLabel = "<CLIENT CERTIFICATE FILE>",
            description = "Client certificate (PEM) for mutual TLS with the HSMs. Goes with --server-client-key-file.")
    Path clientCertFile;

    @Option(names = {"--server-client-key-file", "--client-key-hsm-tls-file"}, paramLabel = "<CLIENT KEY FILE>",
            description = "The client certificate's private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)."
                    + " Goes with --server-client-cert-file.")
    Path clientKeyFile;

    @Mixin
    ConfigFileOption configFileOption;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final Function<Map<String, String>, ClusterDiscovery> discoveryFactory;

    AddClusterCommand(Map<String, String> env, Function<Map<String, String>, ClusterDiscovery> discoveryFactory) {
        this.env = env;
        this.discoveryFactory = discoveryFactory;
    }

    @Override
    public Integer call() {
        ClusterId id = OptionChecks.clusterId(clusterId);
        Optional<String> explicitRegion = Optional.ofNullable(region).map(OptionChecks::region);
        Optional<URI> endpointUri = Optional.ofNullable(endpoint).map(AddClusterCommand::endpoint);
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw CliException.usage(clientCertFile == null
                    ? "--server-client-key-file needs --server-client-cert-file: give both or neither"
                    : "--server-client-cert-file needs --server-client-key-file: give both or neither");
        }
        Path configPath = configFileOption.resolve(env);
        Optional<Path> caFile = checkCaFile();
        Optional<Path> certFile = Optional.empty();
        Optional<Path> keyFile = Optional.empty();
        if (clientCertFile != null) {
            X509Certificate cert = PemValidator.certificate("--server-client-cert-file", clientCertFile);
            PrivateKey key = PemValidator.privateKey("--server-client-key-file", clientKeyFile);
            PemValidator.keyMatchesCertificate(clientKeyFile, key, clientCertFile, cert);
            certFile = Optional.of(clientCertFile.toAbsolutePath().normalize());
            keyFile = Optional.of(clientKeyFile.toAbsolutePath().normalize());
        }

        DiscoveredCluster cluster;
        try (ClusterDiscovery discovery = discoveryFactory.apply(env)) {
            cluster = discovery.discover(new DiscoveryRequest(id, explicitRegion, endpointUri)).block(DISCOVERY_DEADLINE);
        } catch (IllegalStateException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Timeout on blocking read")) {
                throw e;
            }
            throw new CliException(ExitCode.AWS_API_ERROR, "DescribeClusters for " + id + " at "
                    + endpointUri.map(URI::toString).orElse("the region's public endpoint") + ": no answer within "
                    + DISCOVERY_DEADLINE.toSeconds() + " s; check that the endpoint is reachable and is the CloudHSM API");
        }
        List<DiscoveredHsm> usable = cluster.usableHsms();
        if (usable.isEmpty()) {
            throw new CliException(ExitCode.AWS_API_ERROR, id + " in " + cluster.region() + " has no usable HSM (ACTIVE or DEGRADED)"
                    + describeStates(cluster) + "; nothing was written. Add an HSM to the cluster, then run add-cluster again");
        }
        List<ServerConfig> servers = cluster.usableAddresses(HsmAddress.DEFAULT_PORT).stream()
                .map(a -> new ServerConfig(a.host(), a.port(), true)).toList();

        AtomicReference<ClusterConfig> previous = new AtomicReference<>();
        Optional<Path> givenCert = certFile;
        Optional<Path> givenKey = keyFile;
        ConfigStore.at(configPath).update(file -> {
            Optional<ClusterConfig> existing = file.cluster(id);
            previous.set(existing.orElse(null));
            // A refresh keeps the TLS files already configured unless new ones are given.
            Path ca = caFile.orElseGet(() -> existing.map(ClusterConfig::hsmCaFile).orElse(DEFAULT_CA_FILE));
            Optional<Path> cert = givenCert.isPresent() ? givenCert : existing.flatMap(ClusterConfig::clientCertFile);
            Optional<Path> key = givenKey.isPresent() ? givenKey : existing.flatMap(ClusterConfig::clientKeyFile);
            return file.withCluster(new ClusterConfig(id, Optional.of(cluster.region()), ca, servers, cert, key));
        });

        String hsms = servers.stream().map(s -> s.address().toString()).collect(Collectors.joining(", "));
        String skipped = cluster.hsms().size() > usable.size()
                ? " (" + (cluster.hsms().size() - usable.size() + " HSM(s) skipped:" + describeStates(cluster)) + ")" : "";
        if (previous.get() == null) {
            spec.commandLine().getOut().printf("added %s (region %s) with %d HSM(s): %s%s to %s%n",
                    id, cluster.region(), servers.size(), hsms, skipped, configPath);
        } else {
            List<HsmAddress> before = previous.get().enabledHsms();
            spec.commandLine().getOut().printf("%s was already configured: refreshed its HSM list (%d -> %d HSM(s)): %s%s in %s%n",
                    id, before.size(), servers.size(), hsms, skipped, configPath);
        }
        return ExitCode.OK;
    }

    private Optional<Path> checkCaFile() {
        if (hsmCaCert != null) {
            PemValidator.caCertificate("--hsm-ca-cert", hsmCaCert);
            return Optional.of(hsmCaCert.toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    private static URI endpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw CliException.badInput("--endpoint " + OptionChecks.shown(value) + ": not a URL; expected http(s)://host[:port]");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw CliException.badInput("--endpoint " + OptionChecks.shown(value) + ": expected an http or https URL such as"
                    + " https://cloudhsmv2.us-east-1.amazonaws.com");
        }
        return uri;
    }

    private static String describeStates(DiscoveredCluster cluster) {
        return cluster.hsms().stream().filter(h -> !h.isUsable())
                .map(h -> " " + h.hsmId() + " is " + h.state())
                .collect(Collectors.joining(","));
    }
}
