package dev.multislot.local.internal.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalHsm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides what the launcher reports per cluster. {@link #describe} builds the
 * fields; {@link #json} and {@link #text} render the same fields, so a field added to a cluster's
 * map (such as {@code control_plane_endpoint}) shows in both outputs.
 */
public final class LaunchOutput {

    public static final String CLUSTER_ID = "cluster_id";
    public static final String CA_FILE = "ca_file";
    public static final String HSMS = "hsms";
    public static final String ADDRESS = "address";
    public static final String PORT = "port";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LaunchOutput() {
    }

    /**
     * A cluster's fields in output order: cluster_id, ca_file, hsms (address and port each), then
     * whatever the caller adds to the returned (mutable) map.
     */
    public static Map<String, Object> describe(LocalCluster cluster) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(CLUSTER_ID, cluster.clusterId());
        c.put(CA_FILE, cluster.caFile().toAbsolutePath().toString());
        List<Map<String, Object>> hsms = new ArrayList<>();
        for (LocalHsm hsm : cluster.hsms()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put(ADDRESS, hsm.host());
            h.put(PORT, hsm.port());
            hsms.add(h);
        }
        c.put(HSMS, hsms);
        return c;
    }

    /** One line: {@code {"clusters":[{"cluster_id":...,"ca_file":...,"hsms":[{"address":...,"port":...}]}]}}. */
    public static String json(List<Map<String, Object>> clusters) {
        return render(Map.of("clusters", clusters));
    }

    /** As {@link #json(List)}, then {@code "control_plane_endpoint": "http://127.0.0.1:PORT"}. */
    public static String json(List<Map<String, Object>> clusters, java.net.URI controlPlaneEndpoint) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("clusters", clusters);
        root.put("control_plane_endpoint", controlPlaneEndpoint.toString());
        return render(root);
    }

    private static String render(Map<String, Object> root) {
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the launcher's JSON", e);
        }
    }

    /** Lines for people: each cluster, its CA file, its HSMs' addresses and any extra field. */
    public static String text(List<Map<String, Object>> clusters) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> c : clusters) {
            sb.append("cluster ").append(c.get(CLUSTER_ID)).append('\n');
            sb.append("  CA file: ").append(c.get(CA_FILE)).append('\n');
            for (Object o : (List<?>) c.get(HSMS)) {
                Map<?, ?> h = (Map<?, ?>) o;
                sb.append("  HSM:     ").append(h.get(ADDRESS)).append(':').append(h.get(PORT)).append('\n');
            }
            for (Map.Entry<String, Object> e : c.entrySet()) {
                if (!List.of(CLUSTER_ID, CA_FILE, HSMS).contains(e.getKey())) {
                    sb.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
