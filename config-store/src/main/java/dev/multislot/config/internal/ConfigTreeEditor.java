package dev.multislot.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.SdkLogging;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Surgical edits of a config tree: only the fields the library owns are set or removed, in
 * place; every other field (known to the SDK or not) keeps its value and its position.
 */
public final class ConfigTreeEditor {

    private static final JsonNodeFactory NODES = Json.nodes();

    private ConfigTreeEditor() {
    }

    /**
     * A copy of {@code root} with {@code cluster} added at the end, or put in place of the entry
     * at {@code index} (which {@code existing} was read from).
     */
    public static ObjectNode withCluster(ObjectNode root, int index, Optional<ClusterConfig> existing, ClusterConfig cluster) {
        ObjectNode copy = root.deepCopy();
        ArrayNode list = clustersArray(copy);
        if (index < 0) {
            list.add(newEntry(cluster));
        } else {
            ObjectNode entry = (ObjectNode) list.get(index);
            update((ObjectNode) entry.get("cluster"), existing.orElseThrow().servers(), cluster);
        }
        return copy;
    }

    /** The {@code logging} object's four SDK fields, as strings; absent or non-string fields are empty. */
    public static SdkLogging readLogging(ObjectNode root) {
        JsonNode logging = root.path("logging");
        return new SdkLogging(text(logging, "log_type"), text(logging, "log_file"), text(logging, "log_level"),
                text(logging, "log_interval"));
    }

    /** A copy of {@code root} whose {@code logging} object holds {@code logging}'s present fields. */
    public static ObjectNode withLogging(ObjectNode root, SdkLogging logging) {
        ObjectNode copy = root.deepCopy();
        JsonNode existing = copy.get("logging");
        ObjectNode object = existing instanceof ObjectNode on ? on : NODES.objectNode();
        logging.logType().ifPresent(v -> object.put("log_type", v));
        logging.logFile().ifPresent(v -> object.put("log_file", v));
        logging.logLevel().ifPresent(v -> object.put("log_level", v));
        logging.logInterval().ifPresent(v -> object.put("log_interval", v));
        if (!(existing instanceof ObjectNode)) {
            set(copy, "logging", object, "clusters");
        }
        return copy;
    }

    private static Optional<String> text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v != null && v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
    }

    /** A copy of {@code root} without the cluster entry at {@code index}. */
    public static ObjectNode withoutCluster(ObjectNode root, int index) {
        ObjectNode copy = root.deepCopy();
        clustersArray(copy).remove(index);
        return copy;
    }

    /** The tree of a file with no clusters: {@code {"clusters": []}}. */
    public static ObjectNode emptyDocument() {
        ObjectNode root = NODES.objectNode();
        root.putArray("clusters");
        return root;
    }

    private static ArrayNode clustersArray(ObjectNode root) {
        JsonNode list = root.get("clusters");
        if (list == null) {
            // The SDK puts "clusters" first; keep that shape when a file without it gets its first cluster.
            insert(root, "clusters", NODES.arrayNode(), null);
            list = root.get("clusters");
        }
        return (ArrayNode) list;
    }

    private static ObjectNode newEntry(ClusterConfig c) {
        ObjectNode entry = NODES.objectNode();
        entry.put("type", ConfigTreeReader.CLUSTER_TYPE);
        ObjectNode cluster = entry.putObject("cluster");
        if (!isSyntheticFor(c)) {
            cluster.put("cluster_id", c.clusterId().value());
        }
        c.region().ifPresent(r -> cluster.put("region", r));
        c.endpoint().ifPresent(e -> cluster.put("endpoint", e.toString()));
        cluster.put("hsm_ca_file", c.hsmCaFile().toString());
        ArrayNode servers = cluster.putArray("servers");
        c.servers().forEach(s -> servers.add(newServer(s)));
        c.clientCertFile().ifPresent(p -> cluster.put("client_cert_path", p.toString()));
        c.clientKeyFile().ifPresent(p -> cluster.put("client_key_path", p.toString()));
        writeOptions(cluster, c.options());
        return entry;
    }

    private static ObjectNode newServer(ServerConfig s) {
        ObjectNode server = NODES.objectNode();
        server.put("hostname", s.hostname());
        server.put("port", s.port());
        server.put("enable", s.enabled());
        s.hsmId().ifPresent(id -> server.put("hsm_id", id));
        s.availabilityZone().ifPresent(z -> server.put("availability_zone", z));
        return server;
    }

    /**
     * Writes the three option fields this library reads into {@code cluster.options}: a field
     * already in the file is always rewritten; a missing one is added only when it differs from the
     * SDK's default. Other option fields stay; an object that would be empty is not created.
     */
    private static void writeOptions(ObjectNode cluster, ClusterOptions o) {
        JsonNode existing = cluster.get("options");
        ObjectNode options = existing instanceof ObjectNode on ? on : NODES.objectNode();
        boolean disable = !o.keyAvailabilityCheck();
        if (options.has("disable_key_availability_check") || disable) {
            options.put("disable_key_availability_check", disable);
        }
        if (options.has("validate_key_at_init") || o.validateKeyAtInit()) {
            options.put("validate_key_at_init", o.validateKeyAtInit());
        }
        if (o.defaultRetryMode().isPresent()) {
            options.put("default_retry_mode", o.defaultRetryMode().get());
        } else {
            options.remove("default_retry_mode");
        }
        if (existing == null && !options.isEmpty()) {
            set(cluster, "options", options, "client_key_path", "client_cert_path", "servers");
        }
    }

    private static void update(ObjectNode cluster, List<ServerConfig> oldServers, ClusterConfig c) {
        if (!isSyntheticFor(c) || cluster.hasNonNull("cluster_id")) {
            set(cluster, "cluster_id", NODES.textNode(c.clusterId().value()));
        }
        setOrRemove(cluster, "region", c.region().map(NODES::textNode), "cluster_id");
        setOrRemove(cluster, "endpoint", c.endpoint().map(e -> NODES.textNode(e.toString())), "region", "cluster_id");
        set(cluster, "hsm_ca_file", NODES.textNode(c.hsmCaFile().toString()), "region", "cluster_id");
        set(cluster, "servers", servers((ArrayNode) cluster.get("servers"), oldServers, c.servers()), "hsm_ca_file");
        setOrRemove(cluster, "client_cert_path", c.clientCertFile().map(p -> NODES.textNode(p.toString())), "servers");
        setOrRemove(cluster, "client_key_path", c.clientKeyFile().map(p -> NODES.textNode(p.toString())), "client_cert_path");
        writeOptions(cluster, c.options());
    }

    /** The new servers array; a server that was already there keeps its object, so its unknown fields too. */
    private static ArrayNode servers(ArrayNode oldArray, List<ServerConfig> oldServers, List<ServerConfig> newServers) {
        ArrayNode result = NODES.arrayNode();
        boolean[] used = new boolean[oldServers.size()];
        for (ServerConfig s : newServers) {
            int match = -1;
            for (int i = 0; i < oldServers.size() && match < 0; i++) {
                if (!used[i] && oldServers.get(i).address().equals(s.address())) {
                    match = i;
                }
            }
            if (match < 0) {
                result.add(newServer(s));
                continue;
            }
            used[match] = true;
            ObjectNode server = ((ObjectNode) oldArray.get(match)).deepCopy();
            // Fields left out of the file keep being left out while they hold the default.
            if (server.has("port") || s.port() != HsmAddress.DEFAULT_PORT) {
                set(server, "port", NODES.numberNode(s.port()), "hostname");
            }
            if (server.has("enable") || !s.enabled()) {
                set(server, "enable", NODES.booleanNode(s.enabled()), "port", "hostname");
            }
            setOrRemove(server, "hsm_id", s.hsmId().map(NODES::textNode), "enable", "port", "hostname");
            setOrRemove(server, "availability_zone", s.availabilityZone().map(NODES::textNode), "hsm_id", "enable", "port", "hostname");
            result.add(server);
        }
        return result;
    }

    private static boolean isSyntheticFor(ClusterConfig c) {
        return SyntheticIds.isSynthetic(c.clusterId());
    }

    /** Whether {@code c} may be written: a synthetic id must be the one its own first server gives. */
    public static boolean isWritable(ClusterConfig c) {
        if (!isSyntheticFor(c)) {
            return true;
        }
        return !c.servers().isEmpty() && SyntheticIds.of(c.servers().get(0)).equals(c.clusterId());
    }

    /** Whether {@code id} is synthetic. */
    public static boolean isSynthetic(ClusterId id) {
        return SyntheticIds.isSynthetic(id);
    }

    private static void setOrRemove(ObjectNode object, String field, Optional<? extends JsonNode> value, String... after) {
        if (value.isPresent()) {
            set(object, field, value.get(), after);
        } else {
            object.remove(field);
        }
    }

    /** Sets {@code field} where it is, or inserts it after the first of {@code after} present (else first). */
    private static void set(ObjectNode object, String field, JsonNode value, String... after) {
        if (object.has(field)) {
            object.set(field, value);
            return;
        }
        String anchor = null;
        for (String candidate : after) {
            if (object.has(candidate)) {
                anchor = candidate;
                break;
            }
        }
        insert(object, field, value, anchor);
    }

    private static void insert(ObjectNode object, String field, JsonNode value, String anchor) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
        if (anchor == null) {
            fields.put(field, value);
        }
        for (Map.Entry<String, JsonNode> e : entries) {
            fields.put(e.getKey(), e.getValue());
            if (e.getKey().equals(anchor)) {
                fields.put(field, value);
            }
        }
        object.removeAll();
        object.setAll(fields);
    }
}
