package dev.multislot.cli;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.config.ConfigStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code remove-cluster}: takes a cluster (a slot) out of the config file. */
@Command(name = "remove-cluster", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Remove a cluster (a PKCS#11 slot) from the config file.",
                "A running connector that watches the file drains the slot's requests and closes it."})
final class RemoveClusterCommand implements Callable<Integer> {

    @Option(names = "--cluster-id", required = true, paramLabel = "<CLUSTER ID>",
            description = "The cluster to remove.")
    String clusterId;

    @Mixin
    ConfigFileOption configFileOption;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    RemoveClusterCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (clusterId.isBlank()) {
            throw CliException.badInput("--cluster-id: expected a cluster id such as cluster-1234567, got an empty value");
        }
        ClusterId id = ClusterId.of(clusterId);
        Path configPath = configFileOption.resolve(env);
        ConfigStore.at(configPath).update(file -> {
            if (file.cluster(id).isEmpty()) {
                List<ClusterId> configured = file.clusters().stream().map(ClusterConfig::clusterId).toList();
                throw CliException.badInput("--cluster-id " + id + ": not configured in " + configPath + "; configured: "
                        + (configured.isEmpty() ? "none" : configured.stream().map(ClusterId::value).collect(Collectors.joining(", "))));
            }
            return file.withoutCluster(id);
        });
        spec.commandLine().getOut().printf("removed %s from %s%n", id, configPath);
        return ExitCode.OK;
    }
}
