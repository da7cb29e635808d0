package dev.multislot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigFile;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.SdkLogging;
import java.io.PrintWriter;
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

/** {@code list-clusters}: shows the configured clusters, as a table or as JSON. */
@Command(name = "list-clusters", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the clusters (PKCS#11 slots) in the config file, in slot order.")
final class ListClustersCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object: {\"clusters\": [{\"slot\", \"cluster_id\", \"region\", \"endpoint\", \"hsm_ca_file\", \"servers\", \"options\", ...}], \"logging\": {...}}.")
    boolean json;

    @Mixin
    ConfigFileOption configFileOption;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    ListClustersCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Path configPath = configFileOption.resolve(env);
        ConfigFile file = ConfigStore.at(configPath).read();
        List<ClusterConfig> clusters = file.clusters();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(clusters, file.logging()));
        } else {
            out.println(clusters.isEmpty() ? "no clusters in " + configPath : table(clusters));
            for (int i = 0; i < clusters.size(); i++) {
                ClusterConfig c = clusters.get(i);
                out.println("slot " + i + " options: " + ClusterDescription.options(c.options())
                        + c.endpoint().map(e -> ", endpoint " + e).orElse(""));
            }
            out.println("logging (the SDK library's): " + ClusterDescription.logging(file.logging()));
        }
        return ExitCode.OK;
    }

    private static String toJson(List<ClusterConfig> clusters, SdkLogging logging) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode list = root.putArray("clusters");
        for (int i = 0; i < clusters.size(); i++) {
            ClusterConfig c = clusters.get(i);
            ObjectNode n = list.addObject();
            n.put("slot", i);
            n.put("cluster_id", c.clusterId().value());
            c.region().ifPresentOrElse(r -> n.put("region", r), () -> n.putNull("region"));
            c.endpoint().ifPresentOrElse(e -> n.put("endpoint", e.toString()), () -> n.putNull("endpoint"));
            n.put("hsm_ca_file", c.hsmCaFile().toString());
            ArrayNode servers = n.putArray("servers");
            for (ServerConfig s : c.servers()) {
                ObjectNode server = servers.addObject().put("hostname", s.hostname()).put("port", s.port()).put("enable", s.enabled());
                s.hsmId().ifPresent(h -> server.put("hsm_id", h));
                s.availabilityZone().ifPresent(z -> server.put("availability_zone", z));
            }
            c.clientCertFile().ifPresent(p -> n.put("client_cert_path", p.toString()));
            c.clientKeyFile().ifPresent(p -> n.put("client_key_path", p.toString()));
            ObjectNode options = n.putObject("options");
            options.put("disable_key_availability_check", !c.options().keyAvailabilityCheck());
            options.put("validate_key_at_init", c.options().validateKeyAtInit());
            c.options().defaultRetryMode().ifPresentOrElse(m -> options.put("default_retry_mode", m),
                    () -> options.putNull("default_retry_mode"));
        }
        ObjectNode log = root.putObject("logging");
        logging.logType().ifPresent(v -> log.put("log_type", v));
        logging.logFile().ifPresent(v -> log.put("log_file", v));
        logging.logLevel().ifPresent(v -> log.put("log_level", v));
        logging.logInterval().ifPresent(v -> log.put("log_interval", v));
        return mapper.writeValueAsString(root);
    }

    private static String table(List<ClusterConfig> clusters) {
        String[] header = {"SLOT", "CLUSTER ID", "REGION", "HSMS", "MTLS", "CA FILE"};
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(header);
        for (int i = 0; i < clusters.size(); i++) {
            ClusterConfig c = clusters.get(i);
            String hsms = c.servers().stream()
                    .map(s -> s.address() + s.availabilityZone().map(z -> " " + z).orElse("") + (s.enabled() ? "" : " (disabled)"))
                    .collect(Collectors.joining(", "));
            rows.add(new String[] {String.valueOf(i), c.clusterId().value(), c.region().orElse("-"),
                    hsms.isEmpty() ? "-" : hsms, c.hasClientCertificate() ? "yes" : "no", c.hsmCaFile().toString()});
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
