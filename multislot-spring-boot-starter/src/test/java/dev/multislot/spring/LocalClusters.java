package dev.multislot.spring;

import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** hsm-local clusters on ephemeral ports and an SDK 5 style config file that lists them. */
final class LocalClusters {

    static final String USER = LocalClusterSpec.DEFAULT_USERNAME;
    static final String PASSWORD = LocalClusterSpec.DEFAULT_PASSWORD;

    private LocalClusters() {
    }

    static LocalCluster start(int hsms) {
        return LocalCluster.start(LocalClusterSpec.builder().hsmCount(hsms).port(0).build());
    }

    /** Writes {@code file} as configure-pkcs11 would: one entry per cluster, every HSM enabled. */
    static Path writeConfig(Path file, List<LocalCluster> clusters) {
        String entries = clusters.stream().map(LocalClusters::entry).collect(Collectors.joining(",\n"));
        try {
            Files.writeString(file, "{\"clusters\": [\n" + entries + "\n]}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String entry(LocalCluster c) {
        String servers = c.hsms().stream()
                .map(h -> "{\"hostname\": \"" + h.host() + "\", \"port\": " + h.port() + ", \"enable\": true}")
                .collect(Collectors.joining(", "));
        return "{\"type\": \"hsm1\", \"cluster\": {\"cluster_id\": \"" + c.clusterId() + "\", \"region\": \"us-east-1\", "
                + "\"hsm_ca_file\": \"" + c.caFile() + "\", \"servers\": [" + servers + "]}}";
    }
}
