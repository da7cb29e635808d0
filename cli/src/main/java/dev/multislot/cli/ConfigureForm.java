package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterDiscovery;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigFile;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.SdkLogging;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code configure-pkcs11} without a subcommand, as the SDK 5 tool has it: {@code -a} sets the
 * servers of one cluster, {@code --cluster-id} sets them from {@code DescribeClusters}, and the
 * options are written to the selected cluster (the one {@code -a} or {@code --cluster-id} names),
 * else to every cluster. One locked, atomic edit; nothing is written when any check fails.
 */
final class ConfigureForm {

    /** What the command line asked for, parsed and checked. */
    record Request(List<String> addresses, Optional<ClusterId> clusterId, Optional<String> region, Optional<URI> endpoint,
                   TlsFileOptions.Checked files, SdkOptionFlags options, boolean loggingGiven, SdkLogging logging,
                   Path configPath) {
    }

    private final Map<String, String> env;
    private final Function<Map<String, String>, ClusterDiscovery> discoveryFactory;
    private final PrintWriter out;

    ConfigureForm(Map<String, String> env, Function<Map<String, String>, ClusterDiscovery> discoveryFactory, PrintWriter out) {
        this.env = env;
        this.discoveryFactory = discoveryFactory;
        this.out = out;
    }

    int run(Request r) {
        Optional<ClusterLookup.Found> found = Optional.empty();
        if (r.addresses().isEmpty() && r.clusterId().isPresent()) {
            found = Optional.of(ClusterLookup.find(discoveryFactory, env, r.clusterId().get(), r.region(), r.endpoint(),
                    AddressFamily.IPV4));
        }
        Optional<ClusterLookup.Found> discovered = found;
        List<String> report = new ArrayList<>();
        ConfigStore.at(r.configPath()).update(file -> {
            report.clear();
            return edit(file, r, discovered, report);
        });
        report.forEach(out::println);
        return ExitCode.OK;
    }

    private ConfigFile edit(ConfigFile file, Request r, Optional<ClusterLookup.Found> found, List<String> report) {
        ConfigFile result = file;
        List<ClusterId> selected;
        if (!r.addresses().isEmpty()) {
            ClusterConfig target = withAddresses(file, r);
            result = result.withCluster(target);
            // A cluster without cluster_id is named by its (new) first server.
            ClusterId id = r.clusterId().isPresent() || result.cluster(target.clusterId()).isPresent()
                    ? target.clusterId() : ConfigFile.syntheticId(target.servers().get(0));
            report.add("set the servers of " + id + " to " + addresses(target) + " in " + r.configPath());
            selected = List.of(id);
        } else if (found.isPresent()) {
            ClusterId id = r.clusterId().orElseThrow();
            Optional<ClusterConfig> existing = file.cluster(id);
            ClusterConfig merged = AddClusterCommand.merge(existing, id, found.get().cluster().region(), found.get(), r.files());
            result = result.withCluster(merged);
            report.add((existing.isPresent() ? "refreshed " : "added ") + id + " (region " + merged.region().orElseThrow()
                    + ") with " + merged.servers().size() + " HSM(s): " + addresses(merged) + found.get().skipped()
                    + " in " + r.configPath());
            selected = List.of(id);
        } else {
            selected = file.clusters().stream().map(ClusterConfig::clusterId).toList();
        }
        boolean perCluster = r.options().any() || r.files().any();
        if (perCluster && selected.isEmpty()) {
            throw CliException.badInput("no cluster is configured in " + r.configPath()
                    + " to apply the options to; add one with -a <HSM ENI IP> or --cluster-id <CLUSTER ID>");
        }
        if (perCluster) {
            for (ClusterId id : selected) {
                ClusterConfig c = result.cluster(id).orElseThrow();
                ClusterConfig changed = withFiles(c, r.files()).withOptions(r.options().applyTo(c.options()));
                result = result.withCluster(changed);
            }
            ClusterConfig shown = result.cluster(selected.get(0)).orElseThrow();
            report.add("options of " + selected.stream().map(ClusterId::value).collect(Collectors.joining(", ")) + ": "
                    + ClusterDescription.options(shown.options()) + ClusterDescription.files(shown));
        }
        if (r.loggingGiven()) {
            result = result.withLogging(r.logging());
            report.add("logging: " + ClusterDescription.logging(result.logging()));
        }
        return result;
    }

    /** The cluster {@code -a} changes, with its new servers: named by --cluster-id, the file's only one, or a new one. */
    private static ClusterConfig withAddresses(ConfigFile file, Request r) {
        List<ClusterConfig> clusters = file.clusters();
        Optional<ClusterConfig> target;
        if (r.clusterId().isPresent()) {
            target = file.cluster(r.clusterId().get());
        } else if (clusters.size() > 1) {
            throw CliException.usage("-a: the file has " + clusters.size() + " clusters ("
                    + clusters.stream().map(c -> c.clusterId().value()).collect(Collectors.joining(", "))
                    + "); name the one to change with --cluster-id");
        } else {
            target = clusters.stream().findFirst();
        }
        List<ServerConfig> servers = new ArrayList<>();
        for (String a : r.addresses()) {
            // A server that stays keeps what add-cluster recorded about it.
            Optional<ServerConfig> known = target.flatMap(c -> c.servers().stream()
                    .filter(s -> s.hostname().equals(a) && s.port() == dev.multislot.api.HsmAddress.DEFAULT_PORT).findFirst());
            servers.add(known.map(s -> new ServerConfig(a, s.port(), true, s.hsmId(), s.availabilityZone()))
                    .orElseGet(() -> new ServerConfig(a, dev.multislot.api.HsmAddress.DEFAULT_PORT, true)));
        }
        if (target.isPresent()) {
            return target.get().withServers(servers);
        }
        ClusterId id = r.clusterId().orElseGet(() -> ConfigFile.syntheticId(servers.get(0)));
        return new ClusterConfig(id, Optional.empty(), AddClusterCommand.DEFAULT_CA_FILE, servers, Optional.empty(), Optional.empty());
    }

    private static ClusterConfig withFiles(ClusterConfig c, TlsFileOptions.Checked files) {
        if (!files.any()) {
            return c;
        }
        return new ClusterConfig(c.clusterId(), c.region(), files.caFile().orElse(c.hsmCaFile()), c.servers(),
                files.certFile().isPresent() ? files.certFile() : c.clientCertFile(),
                files.keyFile().isPresent() ? files.keyFile() : c.clientKeyFile(), c.endpoint(), c.options());
    }

    private static String addresses(ClusterConfig c) {
        return c.servers().stream().map(s -> s.address().toString()).collect(Collectors.joining(", "));
    }
}
