package dev.multislot.bench.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the benchmark server JVM started: its clusters, their CA files and their HSMs' addresses.
 * Travels from the server to the benchmark as one JSON line.
 *
 * @param clusters the clusters, one per slot of the benchmark, in order
 */
public record ServerInfo(List<Cluster> clusters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ServerInfo {
        clusters = List.copyOf(clusters);
    }

    /** One cluster: its id, the CA that signed its HSMs' certificates, and its HSMs. */
    public record Cluster(String id, Path caFile, List<Hsm> hsms) {
        public Cluster {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(caFile, "caFile");
            hsms = List.copyOf(hsms);
        }
    }

    /** One HSM's address. */
    public record Hsm(String id, String host, int port) {
        public Hsm {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
        }
    }

    /** Every HSM of every cluster, cluster by cluster. */
    public int hsmCount() {
        return clusters.stream().mapToInt(c -> c.hsms().size()).sum();
    }

    /** The one-line JSON form. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode cs = root.putArray("clusters");
        for (Cluster c : clusters) {
            ObjectNode cn = cs.addObject();
            cn.put("id", c.id());
            cn.put("ca", c.caFile().toString());
            ArrayNode hs = cn.putArray("hsms");
            for (Hsm h : c.hsms()) {
                hs.addObject().put("id", h.id()).put("host", h.host()).put("port", h.port());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    public static ServerInfo fromJson(String line) {
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the benchmark server's line is not JSON: " + line, e);
        }
        JsonNode cs = root.path("clusters");
        if (!cs.isArray() || cs.isEmpty()) {
            throw new IllegalArgumentException("the benchmark server's line has no clusters: " + line);
        }
        List<Cluster> clusters = new ArrayList<>();
        for (JsonNode cn : cs) {
            List<Hsm> hsms = new ArrayList<>();
            for (JsonNode hn : cn.path("hsms")) {
                hsms.add(new Hsm(hn.path("id").asText(), hn.path("host").asText(), hn.path("port").asInt()));
            }
            clusters.add(new Cluster(cn.path("id").asText(), Path.of(cn.path("ca").asText()), hsms));
        }
        return new ServerInfo(clusters);
    }
}
