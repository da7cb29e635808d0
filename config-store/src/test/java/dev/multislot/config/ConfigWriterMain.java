package dev.multislot.config;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A separate process that edits a config file, for the multi-process tests.
 * {@code add <file> <cluster id>} adds one cluster and exits; {@code churn <file>} warms up, prints
 * {@code ready}, waits for a line on its input, then rewrites the file with a new large version forever, printing the number of each version written.
 */
public final class ConfigWriterMain {

    private ConfigWriterMain() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        ConfigStore store = ConfigStore.at(file);
        if (args[0].equals("add")) {
            store.update(f -> f.withCluster(cluster(args[2], 3)));
            System.out.println("added " + args[2]);
            return;
        }
        // Warm up (class loading, JIT) and wait for the go, so the test can start the next writer early.
        ConfigFile.parse(ConfigFile.empty().withCluster(version(0)).toJson());
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (int version = 0; ; version++) {
            int v = version;
            store.update(f -> {
                ConfigFile g = f;
                for (ClusterConfig c : f.clusters()) {
                    g = g.withoutCluster(c.clusterId());
                }
                return g.withCluster(version(v));
            });
            System.out.println("wrote " + v);
            System.out.flush();
        }
    }

    /** Version {@code v} of the churned file: one cluster, {@link #serverCount(int)} servers, all named after v. */
    static ClusterConfig version(int v) {
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < serverCount(v); i++) {
            servers.add(new ServerConfig("h" + i + ".v" + v + ".test", 2223, true));
        }
        return new ClusterConfig(ClusterId.of("cluster-v" + v), Optional.empty(), Path.of("/ca.crt"), servers,
                Optional.empty(), Optional.empty());
    }

    static int serverCount(int v) {
        return 1500 + (v * 37) % 700;
    }

    static ClusterConfig cluster(String id, int servers) {
        List<ServerConfig> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            list.add(new ServerConfig("hsm" + i + "." + id + ".test", 2223, true));
        }
        return new ClusterConfig(ClusterId.of(id), Optional.of("us-east-1"), Path.of("/ca-" + id + ".crt"), list,
                Optional.empty(), Optional.empty());
    }
}
