package dev.multislot.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigFileException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the clusters out of a config tree and checks everything the library relies on. Every
 * problem becomes a {@link ConfigFileException} naming the JSON path; nothing else is thrown.
 */
public final class ConfigTreeReader {

    /** The value of {@code type} for a CloudHSM cluster, the only kind there is. */
    public static final String CLUSTER_TYPE = "hsm1";

    private static final int MAX_QUOTED = 60;

    private final Optional<Path> source;

    private ConfigTreeReader(Optional<Path> source) {
        this.source = source;
    }

    /** The clusters of {@code root}, in file order; {@code source} is the file, for error messages. */
    public static List<ClusterConfig> read(JsonNode root, Optional<Path> source) {
        return new ConfigTreeReader(source).root(root);
    }

    private List<ClusterConfig> root(JsonNode root) {
        if (root == null || root.isMissingNode()) {
            throw fail(JsonPath.ROOT, "the file is empty; expected a JSON object such as {\"clusters\": []}");
        }
        if (!root.isObject()) {
            throw fail(JsonPath.ROOT, "expected a JSON object such as {\"clusters\": []}, got " + describe(root));
        }
        checkUnicode(root, JsonPath.ROOT);
        JsonNode list = root.get("clusters");
        if (list == null) {
            return List.of();
        }
        JsonPath listPath = JsonPath.ROOT.field("clusters");
        if (!list.isArray()) {
            throw fail(listPath, "expected an array of clusters, got " + describe(list));
        }
        List<ClusterConfig> clusters = new ArrayList<>(list.size());
        Map<ClusterId, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonPath entryPath = listPath.index(i);
            ClusterConfig cluster = entry(list.get(i), entryPath);
            Integer before = seen.putIfAbsent(cluster.clusterId(), i);
            if (before != null) {
                boolean synthetic = SyntheticIds.isSynthetic(cluster.clusterId());
                JsonPath where = synthetic ? entryPath.field("cluster").field("servers").index(0)
                        : entryPath.field("cluster").field("cluster_id");
                throw fail(where, "duplicate cluster id " + cluster.clusterId() + ": $.clusters[" + before
                        + "] has it too" + (synthetic ? " (clusters without cluster_id are named by their first server)" : ""));
            }
            clusters.add(cluster);
        }
        return List.copyOf(clusters);
    }

    private ClusterConfig entry(JsonNode entry, JsonPath path) {
        if (!entry.isObject()) {
            throw fail(path, "expected an object {\"type\": \"hsm1\", \"cluster\": {...}}, got " + describe(entry));
        }
        JsonNode type = entry.get("type");
        if (type != null && !type.isNull()) {
            if (!type.isTextual()) {
                throw fail(path.field("type"), "expected the string \"" + CLUSTER_TYPE + "\", got " + describe(type));
            }
            if (!CLUSTER_TYPE.equals(type.textValue())) {
                throw fail(path.field("type"), "unsupported cluster type " + quote(type.textValue())
                        + "; expected \"" + CLUSTER_TYPE + "\"");
            }
        }
        JsonNode cluster = entry.get("cluster");
        JsonPath clusterPath = path.field("cluster");
        if (cluster == null || cluster.isNull()) {
            throw fail(clusterPath, "missing; expected an object with hsm_ca_file and servers");
        }
        if (!cluster.isObject()) {
            throw fail(clusterPath, "expected an object with hsm_ca_file and servers, got " + describe(cluster));
        }
        Optional<String> id = optionalText(cluster, "cluster_id", clusterPath);
        id.ifPresent(value -> {
            if (value.startsWith(SyntheticIds.PREFIX)) {
                throw fail(clusterPath.field("cluster_id"), "ids starting with \"" + SyntheticIds.PREFIX
                        + "\" are reserved for clusters without cluster_id, got " + quote(value));
            }
        });
        Optional<String> region = optionalText(cluster, "region", clusterPath);
        region.ifPresent(value -> {
            if (value.chars().anyMatch(Character::isWhitespace)) {
                throw fail(clusterPath.field("region"), "expected a region name such as \"us-east-1\", got " + quote(value));
            }
        });
        Optional<URI> endpoint = endpoint(cluster, clusterPath);
        ClusterOptions options = options(cluster.get("options"), clusterPath.field("options"));
        Path caFile = requiredPath(cluster, "hsm_ca_file", clusterPath);
        List<ServerConfig> servers = servers(cluster.get("servers"), clusterPath.field("servers"));
        Optional<Path> certFile = optionalPath(cluster, "client_cert_path", clusterPath);
        Optional<Path> keyFile = optionalPath(cluster, "client_key_path", clusterPath);
        if (certFile.isPresent() && keyFile.isEmpty()) {
            throw fail(clusterPath.field("client_cert_path"), "a client certificate needs its key: client_key_path is missing");
        }
        if (keyFile.isPresent() && certFile.isEmpty()) {
            throw fail(clusterPath.field("client_key_path"), "a client key needs its certificate: client_cert_path is missing");
        }
        ClusterId clusterId;
        if (id.isPresent()) {
            clusterId = ClusterId.of(id.get());
        } else if (servers.isEmpty()) {
            throw fail(clusterPath.field("servers"), "a cluster without cluster_id is named by its first server,"
                    + " but servers is empty; add a server or a cluster_id");
        } else {
            clusterId = SyntheticIds.of(servers.get(0));
        }
        return new ClusterConfig(clusterId, region, caFile, servers, certFile, keyFile, endpoint, options);
    }

    /** {@code endpoint}: the CloudHSM API endpoint add-cluster used, an http(s) URL with a host. */
    private Optional<URI> endpoint(JsonNode cluster, JsonPath clusterPath) {
        Optional<String> text = optionalText(cluster, "endpoint", clusterPath);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw fail(clusterPath.field("endpoint"), "expected an http(s) URL such as \"https://cloudhsmv2.us-east-1.amazonaws.com\", got "
                + quote(text.get()));
    }

    /**
     * {@code options}: the SDK's per-cluster settings. Fields other than the three read here are
     * the SDK's business and are kept as they are.
     */
    private ClusterOptions options(JsonNode options, JsonPath path) {
        if (options == null || options.isNull()) {
            return ClusterOptions.DEFAULTS;
        }
        if (!options.isObject()) {
            throw fail(path, "expected an object such as {\"disable_key_availability_check\": false}, got " + describe(options));
        }
        boolean disableCheck = optionalBoolean(options, "disable_key_availability_check", path).orElse(false);
        boolean validate = optionalBoolean(options, "validate_key_at_init", path).orElse(false);
        Optional<String> retry = optionalText(options, "default_retry_mode", path);
        retry.ifPresent(m -> {
            if (!ClusterOptions.RETRY_MODES.contains(m)) {
                throw fail(path.field("default_retry_mode"), "expected \"off\" or \"standard\", got " + quote(m));
            }
        });
        return new ClusterOptions(!disableCheck, validate, retry);
    }

    private Optional<Boolean> optionalBoolean(JsonNode object, String field, JsonPath parent) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw fail(parent.field(field), "expected true or false, got " + describe(value));
        }
        return Optional.of(value.booleanValue());
    }

    private List<ServerConfig> servers(JsonNode list, JsonPath path) {
        if (list == null || list.isNull()) {
            throw fail(path, "missing; expected an array of servers such as [{\"hostname\": \"10.0.1.12\", \"port\": 2223, \"enable\": true}]");
        }
        if (!list.isArray()) {
            throw fail(path, "expected an array of servers, got " + describe(list));
        }
        List<ServerConfig> servers = new ArrayList<>(list.size());
        Map<HsmAddress, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ServerConfig server = server(list.get(i), path.index(i));
            Integer before = seen.putIfAbsent(server.address(), i);
            if (before != null) {
                throw fail(path.index(i), "duplicate server " + server.address() + ": servers[" + before + "] has it too");
            }
            servers.add(server);
        }
        return servers;
    }

    private ServerConfig server(JsonNode server, JsonPath path) {
        if (!server.isObject()) {
            throw fail(path, "expected an object {\"hostname\": ..., \"port\": 2223, \"enable\": true}, got " + describe(server));
        }
        JsonNode host = server.get("hostname");
        JsonPath hostPath = path.field("hostname");
        if (host == null || host.isNull()) {
            throw fail(hostPath, "missing; expected the HSM's host name or IP address");
        }
        if (!host.isTextual()) {
            throw fail(hostPath, "expected a host name or IP address as a string, got " + describe(host));
        }
        String hostname = host.textValue();
        if (hostname.isBlank()) {
            throw fail(hostPath, "empty host; expected the HSM's host name or IP address");
        }
        if (hostname.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw fail(hostPath, "expected a host name or IP address, got " + quote(hostname) + " (it contains spaces or control characters)");
        }
        // An IPv6 literal may be written in brackets, as in a URL: "[fd00::12]".
        boolean bracketed = hostname.length() > 2 && hostname.startsWith("[") && hostname.endsWith("]")
                && hostname.indexOf(':') > 0;
        if (!HsmAddress.isValidHost(bracketed ? hostname.substring(1, hostname.length() - 1) : hostname)) {
            throw fail(hostPath, "expected an IP address or a host name (RFC 1123, at most " + HsmAddress.MAX_HOST_LENGTH
                    + " characters), got " + quote(hostname) + (hostname.length() > MAX_QUOTED ? " (" + hostname.length()
                    + " characters)" : ""));
        }
        int port = HsmAddress.DEFAULT_PORT;
        JsonNode portNode = server.get("port");
        if (portNode != null && !portNode.isNull()) {
            if (!portNode.isIntegralNumber() || !portNode.canConvertToInt()
                    || portNode.intValue() < 1 || portNode.intValue() > 65535) {
                throw fail(path.field("port"), "expected an integer from 1 to 65535, got " + describe(portNode));
            }
            port = portNode.intValue();
        }
        boolean enabled = true;
        JsonNode enable = server.get("enable");
        if (enable != null && !enable.isNull()) {
            if (!enable.isBoolean()) {
                throw fail(path.field("enable"), "expected true or false, got " + describe(enable));
            }
            enabled = enable.booleanValue();
        }
        return new ServerConfig(hostname, port, enabled, optionalText(server, "hsm_id", path),
                optionalText(server, "availability_zone", path));
    }

    private Optional<String> optionalText(JsonNode object, String field, JsonPath parent) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw fail(parent.field(field), "expected a string, got " + describe(value));
        }
        if (value.textValue().isBlank()) {
            throw fail(parent.field(field), "expected a non-empty string, got " + quote(value.textValue()));
        }
        return Optional.of(value.textValue());
    }

    private Path requiredPath(JsonNode object, String field, JsonPath parent) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw fail(parent.field(field), "missing; expected the path of a PEM file");
        }
        return optionalPath(object, field, parent).orElseThrow();
    }

    private Optional<Path> optionalPath(JsonNode object, String field, JsonPath parent) {
        Optional<String> text = optionalText(object, field, parent);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text.get()));
        } catch (InvalidPathException e) {
            throw fail(parent.field(field), "expected a file path, got " + quote(text.get()) + ": " + e.getReason());
        }
    }

    /** Refuses lone surrogates (from {@code \ud800} escapes): a string holding one could not be written back as UTF-8. */
    private void checkUnicode(JsonNode node, JsonPath path) {
        if (node.isTextual()) {
            checkString(node.textValue(), path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkUnicode(node.get(i), path.index(i));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonPath child = path.field(e.getKey());
                checkString(e.getKey(), child);
                checkUnicode(e.getValue(), child);
            }
        }
    }

    private void checkString(String s, JsonPath path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw fail(path, String.format("invalid Unicode: a lone surrogate \\u%04x at character %d", (int) c, i));
            }
        }
    }

    private ConfigFileException fail(JsonPath path, String problem) {
        return new ConfigFileException(source, Optional.of(path.toString()), problem, null);
    }

    /** A short description of a JSON value for an error message: its kind, and the value if it is short. */
    public static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "the string " + quote(node.textValue());
        }
        if (node.isNumber()) {
            String text = node.asText();
            return text.length() > MAX_QUOTED ? "a number of " + text.length() + " digits" : text;
        }
        return node.asText();
    }

    private static String quote(String s) {
        String shown = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s;
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
