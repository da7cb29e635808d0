package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.internal.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the codec: what is written reads back the same, unknown content survives edits
 * in place and in order, and nothing but a {@link ConfigFileException} comes out of bad input.
 */
class ConfigCodecPropertiesTest {

    private static final Set<String> KNOWN = Set.of("clusters", "type", "cluster", "cluster_id", "region", "hsm_ca_file",
            "servers", "client_cert_path", "client_key_path", "hostname", "port", "enable");
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper STRICT = Json.mapper(ConfigCodec.DEFAULT_MAX_FILE_SIZE);
    private static final JsonNodeFactory NODES = Json.nodes();
    private static final String NOISE = "{}[]\",:0-.eE\\ nul\u0000\ud800x";

    @Property(tries = 200)
    void whatIsWrittenReadsBackTheSame(@ForAll("clusterLists") List<ClusterConfig> clusters) {
        ConfigFile file = ConfigFile.empty();
        for (ClusterConfig c : clusters) {
            file = file.withCluster(c);
        }

        ConfigFile read = ConfigFile.parse(file.toJson());

        assertThat(read.clusters()).isEqualTo(clusters);
        assertThat(read).isEqualTo(file);
        assertThat(read.toJson()).isEqualTo(file.toJson());
    }

    @Property(tries = 200)
    void unknownFieldsSurviveEditsInPlaceAndInOrder(@ForAll("filesWithUnknownFields") String text,
                                                    @ForAll("clusterLists") @Size(min = 1, max = 1) List<ClusterConfig> extra) {
        ConfigFile file = ConfigFile.parse(text);
        ClusterConfig added = extra.get(0);
        if (file.cluster(added.clusterId()).isPresent()) {
            return;
        }

        ConfigFile addedAndRemoved = ConfigFile.parse(file.withCluster(added).toJson()).withoutCluster(added.clusterId());
        assertThat(addedAndRemoved.toJson()).isEqualTo(file.toJson());

        // Changing a field the library owns leaves every unknown field of that cluster and of its servers alone.
        ClusterConfig first = file.clusters().get(0);
        ClusterConfig changed = new ClusterConfig(first.clusterId(), Optional.of("eu-central-9"), Path.of("/changed/ca.crt"),
                first.servers(), first.clientCertFile(), first.clientKeyFile());
        ObjectNode before = file.tree();
        ObjectNode after = ConfigFile.parse(file.withCluster(changed).toJson()).tree();
        stripOwnedFields(before);
        stripOwnedFields(after);
        assertThat(Json.pretty(after)).isEqualTo(Json.pretty(before));
    }

    @Property(tries = 250)
    void mutatedFilesGiveAConfigOrAConfigFileException(@ForAll("filesWithUnknownFields") String text, @ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(6)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 2 -> sb.setCharAt(at, (char) random.nextInt(0x3000));
                case 3 -> sb.setLength(at);
                case 4 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + random.nextInt(40))));
                default -> sb.replace(at, Math.min(sb.length(), at + 1 + random.nextInt(10)), "");
            }
        }
        assertParsesOrRefuses(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 250)
    void valuesOfTheWrongShapeGiveAConfigOrAConfigFileException(@ForAll("filesWithUnknownFields") String text,
                                                                @ForAll("jsonValues") JsonNode replacement,
                                                                @ForAll long seed) throws Exception {
        ObjectNode root = (ObjectNode) STRICT.readTree(text);
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode target = containers.get(new Random(seed).nextInt(containers.size()));
        Random random = new Random(seed + 1);
        if (target instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextBoolean()) {
                o.set(name, replacement);
            } else {
                o.remove(name);
            }
        } else if (target instanceof ArrayNode a && a.size() > 0) {
            a.set(random.nextInt(a.size()), replacement);
        }
        assertParsesOrRefuses(PLAIN.writeValueAsBytes(root));
    }

    @Property(tries = 200)
    void randomBytesGiveAConfigFileException(@ForAll @Size(max = 300) byte[] bytes) {
        assertParsesOrRefuses(bytes);
    }

    private static void assertParsesOrRefuses(byte[] bytes) {
        try {
            ConfigFile file = ConfigCodec.defaults().parse(bytes, Optional.of(Path.of("/test.cfg")));
            // Whatever was accepted can be written and read back.
            assertThat(ConfigFile.parse(file.toJson())).isEqualTo(file);
        } catch (ConfigFileException e) {
            assertThat(e.path()).contains(Path.of("/test.cfg"));
            assertThat(e.getMessage()).startsWith("/test.cfg: ").doesNotContain("\n");
        }
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collectContainers(child, out));
        }
    }

    private static void stripOwnedFields(ObjectNode root) {
        for (JsonNode entry : root.path("clusters")) {
            ObjectNode cluster = (ObjectNode) entry.get("cluster");
            cluster.remove(List.of("region", "hsm_ca_file"));
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<List<ClusterConfig>> clusterLists() {
        return cluster().list().ofMaxSize(5).uniqueElements(ClusterConfig::clusterId);
    }

    private Arbitrary<ClusterConfig> cluster() {
        Arbitrary<List<ServerConfig>> servers = server().list().ofMaxSize(4).uniqueElements(ServerConfig::address);
        Arbitrary<Optional<String>> id = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                .map(s -> "cluster-" + s).optional(0.8);
        Arbitrary<Optional<String>> region = Arbitraries.of("us-east-1", "eu-west-3", "ap-southeast-2").optional(0.7);
        Arbitrary<Boolean> mtls = Arbitraries.of(true, false);
        return Combinators.combine(id, region, path(), servers, mtls, path()).as((i, r, ca, s, m, cert) -> {
            List<ServerConfig> list = s;
            if (i.isEmpty() && list.isEmpty()) {
                list = List.of(new ServerConfig("10.0.0.1", 2223, true));
            }
            ClusterId clusterId = i.map(ClusterId::of).orElseGet(() -> ConfigFile.syntheticId(s.isEmpty()
                    ? new ServerConfig("10.0.0.1", 2223, true) : s.get(0)));
            return new ClusterConfig(clusterId, r, ca, list, m ? Optional.of(cert) : Optional.empty(),
                    m ? Optional.of(cert.resolveSibling("client.key")) : Optional.empty());
        });
    }

    private Arbitrary<ServerConfig> server() {
        Arbitrary<String> ip = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '.').ofMinLength(1).ofMaxLength(20)
                // RFC 1123: no empty label, no hyphen at either end of a label.
                .map(s -> java.util.Arrays.stream(("h" + s).split("\\."))
                        .map(label -> label.replaceAll("^-+|-+$", "")).filter(label -> !label.isEmpty())
                        .collect(java.util.stream.Collectors.joining(".")));
        Arbitrary<String> v6 = Arbitraries.of("fd00::1", "::1", "2001:db8::17");
        return Combinators.combine(Arbitraries.oneOf(ip, name, v6), Arbitraries.integers().between(1, 65535)
                        .edgeCases(c -> c.add(2223)), Arbitraries.of(true, false))
                .as(ServerConfig::new);
    }

    private Arbitrary<Path> path() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-').ofMinLength(1).ofMaxLength(8)
                .list().ofMinSize(1).ofMaxSize(4).map(parts -> Path.of("/" + String.join("/", parts) + ".pem"));
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return jsonValue(3).map(ConfigCodecPropertiesTest::canonical);
    }

    /** The node as the config reader would have built it from text (same number node types). */
    private static JsonNode canonical(JsonNode node) {
        try {
            return STRICT.readTree(PLAIN.writeValueAsString(node));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Arbitrary<JsonNode> jsonValue(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                fieldName().map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3)
                        .map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> array = Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofMaxSize(3).map(l -> {
            ArrayNode a = NODES.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(fieldName().list().ofMaxSize(3).uniqueElements(),
                Arbitraries.lazy(() -> jsonValue(depth - 1)).list().ofSize(3)).as((names, values) -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < names.size(); i++) {
                        o.set(names.get(i), values.get(i));
                    }
                    return o;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(1, array), net.jqwik.api.Tuple.of(1, object));
    }

    private Arbitrary<String> fieldName() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff').withChars('\n', '\t', '"', '\\')
                .ofMinLength(0).ofMaxLength(10);
    }

    private Arbitrary<String> unknownName() {
        return fieldName().filter(s -> !KNOWN.contains(s));
    }

    /** A valid file with unknown fields inserted at random places: the root, entries, clusters and servers. */
    @Provide
    Arbitrary<String> filesWithUnknownFields() {
        Arbitrary<List<ClusterConfig>> clusters = clusterLists().filter(l -> !l.isEmpty());
        Arbitrary<List<Insert>> inserts = Combinators.combine(unknownName(), jsonValues(), Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000)).as(Insert::new).list().ofMaxSize(8);
        return Combinators.combine(clusters, inserts).as((list, ins) -> {
            ConfigFile file = ConfigFile.empty();
            for (ClusterConfig c : list) {
                file = file.withCluster(c);
            }
            ObjectNode root = file.tree();
            List<ObjectNode> objects = new ArrayList<>();
            collectObjects(root, objects);
            for (Insert i : ins) {
                ObjectNode target = objects.get(i.where() % objects.size());
                if (!target.has(i.name())) {
                    insertAt(target, i.position() % (target.size() + 1), i.name(), i.value());
                }
            }
            return Json.pretty(root);
        });
    }

    private record Insert(String name, JsonNode value, int where, int position) {
    }

    /** The objects the library reads: the root, each entry, each cluster, each server. */
    private static void collectObjects(ObjectNode root, List<ObjectNode> out) {
        out.add(root);
        for (JsonNode entry : root.get("clusters")) {
            out.add((ObjectNode) entry);
            out.add((ObjectNode) entry.get("cluster"));
            entry.get("cluster").get("servers").forEach(s -> out.add((ObjectNode) s));
        }
    }

    private static void insertAt(ObjectNode object, int position, String name, JsonNode value) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (i++ == position) {
                fields.put(name, value);
            }
            fields.put(e.getKey(), e.getValue());
        }
        fields.putIfAbsent(name, value);
        object.removeAll();
        object.setAll(fields);
    }
}
