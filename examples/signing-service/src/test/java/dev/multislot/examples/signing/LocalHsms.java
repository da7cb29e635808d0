package dev.multislot.examples.signing;

import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;

/** hsm-local clusters on ephemeral ports, a config file naming them, and the service's properties for it. */
final class LocalHsms {

    private LocalHsms() {
    }

    static LocalCluster start(int hsms) {
        return LocalCluster.start(LocalClusterSpec.builder().hsmCount(hsms).port(0).build());
    }

    /** Writes the SDK 5 style file for {@code clusters} and points the service at it, as the crypto user of hsm-local. */
    static void configure(DynamicPropertyRegistry registry, List<LocalCluster> clusters) {
        try {
            Path dir = Files.createTempDirectory("signing-service-test");
            Path config = dir.resolve("cloudhsm-pkcs11.cfg");
            Files.writeString(config, "{\"clusters\": [" + clusters.stream().map(LocalHsms::entry)
                    .collect(Collectors.joining(",")) + "]}");
            registry.add("multislot.config-file", config::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("multislot.user.name", () -> LocalClusterSpec.DEFAULT_USERNAME);
        registry.add("multislot.user.password", () -> LocalClusterSpec.DEFAULT_PASSWORD);
        registry.add("multislot.event-loop-threads", () -> "1");
        registry.add("server.port", () -> "0");
    }

    private static String entry(LocalCluster c) {
        String servers = c.hsms().stream()
                .map(h -> "{\"hostname\": \"" + h.host() + "\", \"port\": " + h.port() + ", \"enable\": true}")
                .collect(Collectors.joining(", "));
        return "{\"type\": \"hsm1\", \"cluster\": {\"cluster_id\": \"" + c.clusterId() + "\", \"region\": \"us-east-1\", "
                + "\"hsm_ca_file\": \"" + c.caFile() + "\", \"servers\": [" + servers + "]}}";
    }
}
