package dev.multislot.local.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code DescribeClusters} over a snapshot of the hosted clusters: filters, then one page.
 * Pure: no I/O and no shared state, so it runs on the event loop.
 */
final class DescribeClusters {

    static final String TARGET = "BaldrApiService.DescribeClusters";
    /** The API's bounds for {@code MaxResults}. */
    static final int MAX_RESULTS_MIN = 1;
    static final int MAX_RESULTS_MAX = 100;

    private static final Pattern CLUSTER_ID = Pattern.compile("cluster-[A-Za-z0-9]+");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The HSM type of the clusters hosted here (the current generation; FIPS mode). */
    static final String HSM_TYPE = "hsm2m.medium";
    /** When every hosted cluster was "created": 2026-01-01T00:00:00Z, as the API's epoch seconds. */
    private static final long CREATED_EPOCH_SECONDS = 1767225600L;

    private DescribeClusters() {
    }

    static Reply answer(String region, JsonNode request, Collection<ControlPlaneCluster> hosted, int pageSize) {
        if (!request.isObject()) {
            return Reply.error(400, "SerializationException", "the request body must be a JSON object");
        }
        Set<String> clusterIds = null;
        Set<String> states = null;
        JsonNode filters = request.path("Filters");
        if (!filters.isMissingNode() && !filters.isNull()) {
            if (!filters.isObject()) {
                return Reply.invalidRequest("Filters must be an object of string lists");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = filters.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                Optional<Set<String>> values = strings(field.getValue());
                if (values.isEmpty()) {
                    return Reply.invalidRequest("filter " + field.getKey() + " must be a list of strings");
                }
                switch (field.getKey()) {
                    case "clusterIds" -> clusterIds = values.get();
                    case "states" -> states = values.get();
                    default -> {
                        return Reply.invalidRequest("unsupported filter key '" + field.getKey()
                                + "'; this control plane supports clusterIds and states");
                    }
                }
            }
        }
        if (clusterIds != null) {
            for (String id : clusterIds) {
                if (!CLUSTER_ID.matcher(id).matches()) {
                    return Reply.invalidRequest("invalid cluster id '" + id + "': expected cluster- followed by letters and digits");
                }
            }
        }
        int limit = pageSize;
        JsonNode maxResults = request.path("MaxResults");
        if (!maxResults.isMissingNode() && !maxResults.isNull()) {
            if (!maxResults.canConvertToInt() || !maxResults.isIntegralNumber()
                    || maxResults.intValue() < MAX_RESULTS_MIN || maxResults.intValue() > MAX_RESULTS_MAX) {
                return Reply.invalidRequest("MaxResults must be an integer from " + MAX_RESULTS_MIN + " to "
                        + MAX_RESULTS_MAX + ", got " + maxResults);
            }
            limit = Math.min(limit, maxResults.intValue());
        }
        int queryHash = (region + "|" + filters).hashCode();
        int offset = 0;
        JsonNode token = request.path("NextToken");
        if (token.isTextual() && !token.textValue().isEmpty()) {
            Optional<Integer> decoded = PageToken.decode(token.textValue(), queryHash);
            if (decoded.isEmpty()) {
                return Reply.invalidRequest("invalid NextToken: it does not come from this query");
            }
            offset = decoded.get();
        }

        List<ControlPlaneCluster> matching = new ArrayList<>();
        for (ControlPlaneCluster c : hosted) {
            if (c.region().equals(region)
                    && (clusterIds == null || clusterIds.contains(c.clusterId()))
                    && (states == null || states.contains(c.state()))) {
                matching.add(c);
            }
        }
        // A stable order is what makes an offset a valid page token.
        matching.sort(Comparator.comparing(ControlPlaneCluster::clusterId));
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());

        ObjectNode body = JSON.objectNode();
        ArrayNode clusters = body.putArray("Clusters");
        for (ControlPlaneCluster c : matching.subList(from, to)) {
            clusters.add(toJson(c));
        }
        if (to < matching.size()) {
            body.put("NextToken", PageToken.encode(to, queryHash));
        }
        return Reply.ok(body);
    }

    private static Optional<Set<String>> strings(JsonNode node) {
        if (!node.isArray()) {
            return Optional.empty();
        }
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode v : node) {
            if (!v.isTextual()) {
                return Optional.empty();
            }
            values.add(v.textValue());
        }
        return Optional.of(values);
    }

    /**
     * The cluster in the shape of the botocore {@code Cluster} and {@code Hsm} structures, with
     * values like the real service's: ids of AWS resources are stable hashes of the cluster and
     * HSM ids (17 hex digits, as in {@code vpc-0a1b2c3d4e5f60718}), one subnet per zone in use.
     */
    static ObjectNode toJson(ControlPlaneCluster c) {
        ObjectNode node = JSON.objectNode();
        node.put("BackupPolicy", "DEFAULT");
        ObjectNode retention = node.putObject("BackupRetentionPolicy");
        retention.put("Type", "DAYS");
        retention.put("Value", "90");
        node.putObject("Certificates");
        node.put("ClusterId", c.clusterId());
        node.put("CreateTimestamp", CREATED_EPOCH_SECONDS);
        node.put("HsmType", HSM_TYPE);
        node.put("Mode", "FIPS");
        node.put("NetworkType", c.networkType());
        node.put("SecurityGroup", "sg-" + hex17(c.clusterId() + "/sg"));
        node.put("State", c.state());
        node.put("StateMessage", "Cluster is " + c.state().toLowerCase(Locale.ROOT).replace('_', ' '));
        node.put("VpcId", "vpc-" + hex17(c.clusterId() + "/vpc"));
        ObjectNode subnets = node.putObject("SubnetMapping");
        ArrayNode hsms = node.putArray("Hsms");
        for (ControlPlaneHsm h : c.hsms()) {
            String subnet = "subnet-" + hex17(c.clusterId() + "/" + h.availabilityZone());
            subnets.put(h.availabilityZone(), subnet);
            ObjectNode hsm = hsms.addObject();
            hsm.put("AvailabilityZone", h.availabilityZone());
            hsm.put("ClusterId", c.clusterId());
            hsm.put("SubnetId", subnet);
            hsm.put("EniId", "eni-" + hex17(h.hsmId()));
            if (h.eniIp() != null) {
                hsm.put("EniIp", h.eniIp());
            }
            if (h.eniIpV6() != null) {
                hsm.put("EniIpV6", h.eniIpV6());
            }
            hsm.put("HsmId", h.hsmId());
            hsm.put("HsmType", HSM_TYPE);
            hsm.put("State", h.state());
            hsm.put("StateMessage", "HSM is " + h.state().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        node.putArray("TagList");
        return node;
    }

    /** A stable 17-hex-digit id derived from a name (64-bit FNV-1a), in the shape AWS gives VPC, subnet and ENI ids. */
    private static String hex17(String seed) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < seed.length(); i++) {
            h ^= seed.charAt(i);
            h *= 0x100000001b3L;
        }
        return String.format(Locale.ROOT, "%x%016x", (h >>> 60) & 0x7, h);
    }
}
