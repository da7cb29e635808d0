package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code add-cluster}: finds a cluster's HSMs with {@code DescribeClusters} and writes the cluster
 * into the config file. Adding a cluster that is already there refreshes its HSM list.
 */
@Command(name = "add-cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
                "Add a cluster (a PKCS#11 slot) to the config file.",
                "Calls DescribeClusters to find the ENI addresses of the cluster's usable HSMs (ACTIVE or DEGRADED)",
                "and writes them, with port 2223, each HSM's id and availability zone, the CA file, the region, the",
                "endpoint and the client certificate, to the file. Adding a cluster that is already configured",
                "refreshes its HSM list."})
final class AddClusterCommand implements Callable<Integer> {

    /** Where the CloudHSM SDK keeps the cluster's CA certificate, used when --hsm-ca-cert is not given. */
    static final Path DEFAULT_CA_FILE = Path.of("/opt/cloudhsm/etc/customerCA.crt");

    @Option(names = "--cluster-id", required = true, paramLabel = "<CLUSTER ID>",
            description = "The cluster to add, such as cluster-1234567.")
    String clusterId;

    @Option(names = "--region", paramLabel = "<REGION>",
            description = "The cluster's region. Default: $AWS_DEFAULT_REGION, else $AWS_REGION, else the active profile's"
                    + " region in the AWS config file, else us-east-1.")
    String region;

    @Option(names = "--endpoint", paramLabel = "<ENDPOINT>",
            description = "The CloudHSM API endpoint for DescribeClusters, an http(s) URL. Recorded with the cluster,"
                    + " so a running connector refreshes its HSMs through the same endpoint.")
    String endpoint;

    @Option(names = "--address-family", paramLabel = "ipv4|ipv6",
            description = "Which HSM addresses to write: ipv4 (EniIp, the default) or ipv6 (EniIpV6, for DUALSTACK clusters).")
    String addressFamily;

    @Mixin
    TlsFileOptions tlsFiles;

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
        tlsFiles.checkPairing();
        AddressFamily family = AddressFamily.parse(addressFamily);
        Optional<java.net.URI> endpointUri = ClusterLookup.endpoint(endpoint);
        Path configPath = configFileOption.resolve(env);
        TlsFileOptions.Checked files = tlsFiles.check();

        ClusterLookup.Found found = ClusterLookup.find(discoveryFactory, env, id, explicitRegion, endpointUri, family);
        List<ServerConfig> servers = found.servers();
        String foundRegion = found.cluster().region();

        AtomicReference<ClusterConfig> previous = new AtomicReference<>();
        ConfigStore.at(configPath).update(file -> {
            Optional<ClusterConfig> existing = file.cluster(id);
            previous.set(existing.orElse(null));
            return file.withCluster(merge(existing, id, foundRegion, found, files));
        });

        String hsms = servers.stream().map(s -> s.address().toString()).collect(Collectors.joining(", "));
        if (previous.get() == null) {
            spec.commandLine().getOut().printf("added %s (region %s) with %d HSM(s): %s%s to %s%n",
                    id, foundRegion, servers.size(), hsms, found.skipped(), configPath);
        } else {
            List<HsmAddress> before = previous.get().enabledHsms();
            spec.commandLine().getOut().printf("%s was already configured: refreshed its HSM list (%d -> %d HSM(s)): %s%s in %s%n",
                    id, before.size(), servers.size(), hsms, found.skipped(), configPath);
        }
        return ExitCode.OK;
    }

    /**
     * The cluster as discovered, over what the file had: a refresh keeps the TLS files and the SDK
     * options already configured unless new files are given; the endpoint is the one used now.
     */
    static ClusterConfig merge(Optional<ClusterConfig> existing, ClusterId id, String region, ClusterLookup.Found found,
                               TlsFileOptions.Checked files) {
        Path ca = files.caFile().orElseGet(() -> existing.map(ClusterConfig::hsmCaFile).orElse(DEFAULT_CA_FILE));
        Optional<Path> cert = files.certFile().isPresent() ? files.certFile() : existing.flatMap(ClusterConfig::clientCertFile);
        Optional<Path> key = files.keyFile().isPresent() ? files.keyFile() : existing.flatMap(ClusterConfig::clientKeyFile);
        ClusterOptions options = existing.map(ClusterConfig::options).orElse(ClusterOptions.DEFAULTS);
        return new ClusterConfig(id, Optional.of(region), ca, found.servers(), cert, key, found.endpoint(), options);
    }
}
