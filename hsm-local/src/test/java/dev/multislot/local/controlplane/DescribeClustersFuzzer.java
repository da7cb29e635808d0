package dev.multislot.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the control plane's JSON: whatever request body arrives, the
 * DescribeClusters handler answers 200 or 400 with an AWS JSON 1.1 body (an error has
 * {@code __type} and {@code message}), lists only clusters of the signed region that match the
 * request, and its {@code NextToken}s walk the rest of the answer without repeating a cluster.
 *
 * <p>Seeds and every input that ever failed: {@code DescribeClustersFuzzerInputs/anyBody/} in the
 * test resources (docs/reliability.md).
 */
class DescribeClustersFuzzer {

    private static final String REGION = "us-east-1";
    private static final int PAGE_SIZE = 2;
    private static final List<ControlPlaneCluster> HOSTED = List.of(
            ControlPlaneCluster.active("cluster-aaa1", REGION, ControlPlaneHsm.active("hsm-a1", "10.0.0.1", "us-east-1a")),
            ControlPlaneCluster.active("cluster-bbb2", REGION),
            ControlPlaneCluster.active("cluster-ccc3", REGION).withState("DEGRADED"),
            ControlPlaneCluster.active("cluster-ddd4", REGION, ControlPlaneHsm.active("hsm-d1", "10.0.0.4", "us-east-1b")),
            ControlPlaneCluster.active("cluster-eee5", REGION),
            ControlPlaneCluster.active("cluster-fff6", "eu-west-1"));

    private final ObjectMapper mapper = new ObjectMapper();

    @FuzzTest(maxDuration = "5s")
    void anyBody(byte[] body) {
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (java.io.IOException notJson) {
            return; // answered before DescribeClusters is asked: SerializationException
        }
        if (request == null || request.isMissingNode()) {
            return;
        }
        Set<String> listed = new HashSet<>();
        Reply reply = DescribeClusters.answer(REGION, request, HOSTED, PAGE_SIZE);
        for (int page = 0; page <= HOSTED.size(); page++) {
            assertWellFormed(reply);
            if (reply.status() != 200) {
                assertThat(page).as("a NextToken of ours is refused").isZero();
                return;
            }
            for (JsonNode cluster : reply.body().path("Clusters")) {
                String id = cluster.path("ClusterId").asText();
                assertThat(HOSTED).anySatisfy(c -> {
                    assertThat(c.clusterId()).isEqualTo(id);
                    assertThat(c.region()).isEqualTo(REGION);
                });
                assertThat(listed.add(id)).as("cluster %s listed twice", id).isTrue();
            }
            JsonNode token = reply.body().path("NextToken");
            if (token.isMissingNode()) {
                return;
            }
            ObjectNode next = request.isObject() ? ((ObjectNode) request).deepCopy() : null;
            assertThat(next).isNotNull();
            next.put("NextToken", token.asText());
            reply = DescribeClusters.answer(REGION, next, HOSTED, PAGE_SIZE);
        }
        throw new AssertionError("NextTokens did not end after " + HOSTED.size() + " pages");
    }

    private void assertWellFormed(Reply reply) {
        assertThat(reply.status()).isIn(200, 400);
        assertThat(reply.errorType() == null).isEqualTo(reply.status() == 200);
        if (reply.errorType() != null) {
            assertThat(reply.body().path("__type").asText()).isEqualTo(reply.errorType());
            assertThat(reply.body().path("message").asText()).isNotBlank();
        } else {
            assertThat(reply.body().path("Clusters").isArray()).isTrue();
        }
        try {
            // Compared as text: a long that fits an int reads back as an IntNode, which JsonNode.equals tells apart.
            String text = mapper.writeValueAsString(reply.body());
            assertThat(mapper.writeValueAsString(mapper.readTree(text))).isEqualTo(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the reply is not JSON", e);
        }
    }
}
