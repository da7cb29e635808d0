package dev.multislot.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.internal.ConfigTreeEditor;
import dev.multislot.config.internal.ConfigTreeReader;
import dev.multislot.config.internal.Json;
import dev.multislot.config.internal.SyntheticIds;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One valid config document (the {@code cloudhsm-pkcs11.cfg} JSON shape, with any number of
 * clusters), immutable.
 *
 * <p>The JSON tree is the source of truth: {@link #clusters()} is read from it, and the editing
 * methods change only the fields the library owns ({@code cluster_id}, {@code region},
 * {@code hsm_ca_file}, {@code servers}, {@code client_cert_path}, {@code client_key_path} of one
 * cluster entry). Everything else, {@code logging}, {@code options} and any field this library
 * does not know, at any level, keeps its value and its position when the file is rewritten.
 *
 * <p>A cluster entry without {@code cluster_id} (what the SDK tool writes for a cluster given by
 * IP) gets the synthetic id {@code servers:<host>} from its first server ({@code servers:<host>:<port>}
 * when the port is not 2223; IPv6 hosts in brackets). That id is never written to the file.
 *
 * <p>Two config files are equal when their JSON trees are equal (field order aside).
 *
 * <pre>{@code
 * ConfigFile file = ConfigFile.parse(json);
 * ConfigFile edited = file.withoutCluster(ClusterId.of("cluster-1234567"));
 * String text = edited.toJson();
 * }</pre>
 */
public final class ConfigFile {

    /** The prefix of synthetic cluster ids, given to entries without {@code cluster_id}; files may not use it. */
    public static final String SYNTHETIC_ID_PREFIX = SyntheticIds.PREFIX;

    private static final ConfigFile EMPTY = new ConfigFile(ConfigTreeEditor.emptyDocument(), List.of());

    private final ObjectNode root;
    private final List<ClusterConfig> clusters;

    private ConfigFile(ObjectNode root, List<ClusterConfig> clusters) {
        this.root = root;
        this.clusters = clusters;
    }

    /** Validates {@code root} (not copied: the caller hands it over) into a config file. */
    static ConfigFile fromTree(ObjectNode root, Optional<Path> source) {
        return new ConfigFile(root, ConfigTreeReader.read(root, source));
    }

    /** A file with no clusters: {@code {"clusters": []}}. */
    public static ConfigFile empty() {
        return EMPTY;
    }

    /**
     * Parses config JSON with the default limits; see {@link ConfigCodec#parse(String)}.
     *
     * @throws ConfigFileException if the text is not a valid config
     */
    public static ConfigFile parse(String json) {
        return ConfigCodec.defaults().parse(json);
    }

    /** The synthetic id of a cluster entry without {@code cluster_id} whose first server is {@code firstServer}. */
    public static ClusterId syntheticId(ServerConfig firstServer) {
        return SyntheticIds.of(firstServer);
    }

    /** Whether {@code id} is a synthetic id (the entry has no {@code cluster_id} in the file). */
    public static boolean isSynthetic(ClusterId id) {
        return SyntheticIds.isSynthetic(id);
    }

    /** Every cluster, in file order (which is slot order). */
    public List<ClusterConfig> clusters() {
        return clusters;
    }

    /** The cluster with this id, if configured. */
    public Optional<ClusterConfig> cluster(ClusterId id) {
        Objects.requireNonNull(id, "id");
        return clusters.stream().filter(c -> c.clusterId().equals(id)).findFirst();
    }

    /**
     * This file with {@code cluster} added at the end, or put in place of the cluster with the same
     * id. A replaced entry keeps its position, its {@code type} and every field this library does
     * not own, and each server that stays keeps its own unknown fields.
     *
     * <p>A cluster with a synthetic id is written without {@code cluster_id}; such a config is
     * accepted when it replaces an entry with that id, or when its id is the one its first server
     * gives.
     *
     * @throws IllegalArgumentException if the result would not be a valid file (an empty or blank
     *     host name, a port outside 1-65535, a duplicate server, a synthetic id that does not match)
     */
    public ConfigFile withCluster(ClusterConfig cluster) {
        Objects.requireNonNull(cluster, "cluster");
        int index = indexOf(cluster.clusterId());
        if (index >= 0 && clusters.get(index).equals(cluster)) {
            return this;
        }
        if (index < 0 && !ConfigTreeEditor.isWritable(cluster)) {
            throw new IllegalArgumentException("cluster id " + cluster.clusterId() + ": ids starting with \""
                    + SYNTHETIC_ID_PREFIX + "\" are reserved for clusters without cluster_id and must match the first server ("
                    + (cluster.servers().isEmpty() ? "there is none" : SyntheticIds.of(cluster.servers().get(0))) + ")");
        }
        Optional<ClusterConfig> existing = index < 0 ? Optional.empty() : Optional.of(clusters.get(index));
        ObjectNode edited = ConfigTreeEditor.withCluster(root, index, existing, cluster);
        try {
            return fromTree(edited, Optional.empty());
        } catch (ConfigFileException e) {
            throw new IllegalArgumentException("cannot write cluster " + cluster.clusterId() + ": "
                    + e.jsonPath().map(p -> p + ": ").orElse("") + e.problem(), e);
        }
    }

    /** This file without the cluster {@code id}; this same file if it has no such cluster. */
    public ConfigFile withoutCluster(ClusterId id) {
        int index = indexOf(Objects.requireNonNull(id, "id"));
        if (index < 0) {
            return this;
        }
        return fromTree(ConfigTreeEditor.withoutCluster(root, index), Optional.empty());
    }

    /** The file's {@code logging} object (the SDK library's settings); {@link SdkLogging#NONE} if there is none. */
    public SdkLogging logging() {
        return ConfigTreeEditor.readLogging(root);
    }

    /**
     * This file with the given logging fields set in its {@code logging} object (created after
     * {@code clusters} if missing); fields {@code logging} leaves empty, and any other field of the
     * object, keep their values and positions.
     */
    public ConfigFile withLogging(SdkLogging logging) {
        Objects.requireNonNull(logging, "logging");
        SdkLogging merged = logging().overriddenBy(logging);
        if (merged.equals(logging()) && root.has("logging")) {
            return this;
        }
        return fromTree(ConfigTreeEditor.withLogging(root, merged), Optional.empty());
    }

    /** A copy of the whole JSON tree, unknown fields included; changing it does not change this file. */
    public ObjectNode tree() {
        return root.deepCopy();
    }

    /** The file's text: JSON pretty-printed with two-space indentation like the SDK tool, ending with a newline. */
    public String toJson() {
        return Json.pretty(root);
    }

    private int indexOf(ClusterId id) {
        for (int i = 0; i < clusters.size(); i++) {
            if (clusters.get(i).clusterId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigFile other && root.equals(other.root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigFile" + clusters.stream().map(c -> c.clusterId().value()).collect(Collectors.joining(", ", "[", "]"));
    }
}
