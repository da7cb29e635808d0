package dev.multislot.local.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multislot.local.controlplane.AwsJsonClient.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlPlaneDescribeClustersTest {

    private LocalControlPlane cp;
    private AwsJsonClient client;

    @BeforeEach
    void start() {
        cp = LocalControlPlane.start();
        client = new AwsJsonClient(cp.endpoint());
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private static List<String> ids(Answer a) {
        List<String> ids = new ArrayList<>();
        a.body().path("Clusters").forEach(c -> ids.add(c.path("ClusterId").asText()));
        return ids;
    }

    @Test
    void answersOnlyTheClustersOfTheSignedRegion() {
        cp.putCluster(ControlPlaneCluster.active("cluster-east1", "us-east-1"));
        cp.putCluster(ControlPlaneCluster.active("cluster-west1", "eu-west-1"));

        Answer east = client.describe("us-east-1", "{\"Filters\":{\"clusterIds\":[\"cluster-east1\",\"cluster-west1\"]}}");
        Answer west = client.describe("eu-west-1", "{}");

        assertThat(east.status()).isEqualTo(200);
        assertThat(ids(east)).containsExactly("cluster-east1");
        assertThat(ids(west)).containsExactly("cluster-west1");
        assertThat(ids(client.describe("ap-south-1", "{}"))).isEmpty();
    }

    @Test
    void describesHsmsWithTheMemberNamesTheSdkReads() {
        cp.putCluster(new ControlPlaneCluster("cluster-abc", "us-east-1", "ACTIVE", List.of(
                ControlPlaneHsm.active("hsm-one", "127.0.0.2", "us-east-1a"),
                new ControlPlaneHsm("hsm-two", null, "us-east-1b", ControlPlaneHsm.CREATE_IN_PROGRESS))));

        JsonNode cluster = client.describe("us-east-1", "{}").body().path("Clusters").get(0);

        assertThat(cluster.path("State").asText()).isEqualTo("ACTIVE");
        JsonNode one = cluster.path("Hsms").get(0);
        assertThat(one.path("HsmId").asText()).isEqualTo("hsm-one");
        assertThat(one.path("EniIp").asText()).isEqualTo("127.0.0.2");
        assertThat(one.path("AvailabilityZone").asText()).isEqualTo("us-east-1a");
        assertThat(one.path("State").asText()).isEqualTo("ACTIVE");
        assertThat(one.path("ClusterId").asText()).isEqualTo("cluster-abc");
        assertThat(one.path("SubnetId").asText()).matches("subnet-[0-9a-f]{17}");
        assertThat(one.path("EniId").asText()).matches("eni-[0-9a-f]{17}");
        assertThat(one.path("HsmType").asText()).isEqualTo("hsm2m.medium");
        assertThat(one.has("EniIpV6")).isFalse();
        assertThat(cluster.path("HsmType").asText()).isEqualTo("hsm2m.medium");
        assertThat(cluster.path("Mode").asText()).isEqualTo("FIPS");
        assertThat(cluster.path("NetworkType").asText()).isEqualTo("IPV4");
        assertThat(cluster.path("VpcId").asText()).matches("vpc-[0-9a-f]{17}");
        assertThat(cluster.path("SecurityGroup").asText()).matches("sg-[0-9a-f]{17}");
        assertThat(cluster.path("SubnetMapping").path("us-east-1a").asText()).isEqualTo(one.path("SubnetId").asText());
        JsonNode two = cluster.path("Hsms").get(1);
        assertThat(two.has("EniIp")).isFalse();
        assertThat(two.path("State").asText()).isEqualTo("CREATE_IN_PROGRESS");
        assertThat(cluster.path("SubnetMapping").fieldNames()).toIterable().containsExactlyInAnyOrder("us-east-1a", "us-east-1b");
    }

    @Test
    void filtersByClusterIdsAndStates() {
        cp.putCluster(ControlPlaneCluster.active("cluster-a", "us-east-1"));
        cp.putCluster(ControlPlaneCluster.active("cluster-b", "us-east-1").withState("DEGRADED"));
        cp.putCluster(ControlPlaneCluster.active("cluster-c", "us-east-1"));

        assertThat(ids(client.describe("us-east-1", "{\"Filters\":{\"clusterIds\":[\"cluster-c\",\"cluster-b\"]}}")))
                .containsExactly("cluster-b", "cluster-c");
        assertThat(ids(client.describe("us-east-1", "{\"Filters\":{\"states\":[\"ACTIVE\"]}}")))
                .containsExactly("cluster-a", "cluster-c");
        assertThat(ids(client.describe("us-east-1",
                "{\"Filters\":{\"states\":[\"ACTIVE\"],\"clusterIds\":[\"cluster-b\",\"cluster-c\"]}}")))
                .containsExactly("cluster-c");
    }

    @Test
    void paginatesUntilTheLastPageWithAnOpaqueToken() {
        cp.pageSize(2);
        for (String id : List.of("cluster-e", "cluster-a", "cluster-d", "cluster-b", "cluster-c")) {
            cp.putCluster(ControlPlaneCluster.active(id, "us-east-1"));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String token = null;
        do {
            String body = token == null ? "{}" : "{\"NextToken\":\"" + token + "\"}";
            Answer page = client.describe("us-east-1", body);
            assertThat(page.status()).isEqualTo(200);
            seen.addAll(ids(page));
            pageSizes.add(page.body().path("Clusters").size());
            token = page.body().path("NextToken").isTextual() ? page.body().path("NextToken").asText() : null;
            assertThat(token).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).doesNotContain("cluster"));
        } while (token != null && pageSizes.size() < 10);

        assertThat(seen).containsExactly("cluster-a", "cluster-b", "cluster-c", "cluster-d", "cluster-e");
        assertThat(pageSizes).containsExactly(2, 2, 1);
    }

    @Test
    void aSmallerMaxResultsWinsOverThePageSize() {
        for (String id : List.of("cluster-a", "cluster-b", "cluster-c")) {
            cp.putCluster(ControlPlaneCluster.active(id, "us-east-1"));
        }
        Answer page = client.describe("us-east-1", "{\"MaxResults\":1}");
        assertThat(ids(page)).containsExactly("cluster-a");
        assertThat(page.body().path("NextToken").isTextual()).isTrue();

        Answer tooMany = client.describe("us-east-1", "{\"MaxResults\":101}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.type()).isEqualTo("CloudHsmInvalidRequestException");
    }

    @Test
    void aTokenFromAnotherQueryOrRegionIsRejected() {
        cp.pageSize(1);
        cp.putCluster(ControlPlaneCluster.active("cluster-a", "us-east-1"));
        cp.putCluster(ControlPlaneCluster.active("cluster-b", "us-east-1"));
        String token = client.describe("us-east-1", "{}").body().path("NextToken").asText();

        Answer otherFilter = client.describe("us-east-1",
                "{\"Filters\":{\"states\":[\"ACTIVE\"]},\"NextToken\":\"" + token + "\"}");
        Answer otherRegion = client.describe("eu-west-1", "{\"NextToken\":\"" + token + "\"}");
        Answer garbage = client.describe("us-east-1", "{\"NextToken\":\"not-a-token\"}");

        for (Answer a : List.of(otherFilter, otherRegion, garbage)) {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.type()).isEqualTo("CloudHsmInvalidRequestException");
            assertThat(a.body().path("message").asText()).contains("NextToken");
        }
    }

    @Test
    void badFiltersAreInvalidRequests() {
        Answer badId = client.describe("us-east-1", "{\"Filters\":{\"clusterIds\":[\"not a cluster\"]}}");
        Answer badKey = client.describe("us-east-1", "{\"Filters\":{\"hsmIds\":[\"hsm-a\"]}}");
        Answer notList = client.describe("us-east-1", "{\"Filters\":{\"clusterIds\":\"cluster-a\"}}");

        assertThat(badId.type()).isEqualTo("CloudHsmInvalidRequestException");
        assertThat(badId.body().path("message").asText()).contains("'not a cluster'");
        assertThat(badKey.type()).isEqualTo("CloudHsmInvalidRequestException");
        assertThat(badKey.body().path("message").asText()).contains("hsmIds");
        assertThat(notList.status()).isEqualTo(400);
        assertThat(badId.errorTypeHeader()).isEqualTo("CloudHsmInvalidRequestException");
    }

    @Test
    void unknownTargetsUnsignedRequestsAndNonJsonBodiesAreRefused() {
        Answer unknown = client.call("BaldrApiService.DeleteCluster", "us-east-1", "{}").block();
        Answer unsigned = client.describe(null, "{}");
        Answer notJson = client.describe("us-east-1", "{nope");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.type()).isEqualTo("UnknownOperationException");
        assertThat(unsigned.status()).isEqualTo(403);
        assertThat(unsigned.type()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.type()).isEqualTo("SerializationException");
    }

    @Test
    void hsmChangesShowInTheNextAnswer() {
        cp.putCluster(ControlPlaneCluster.active("cluster-a", "us-east-1",
                ControlPlaneHsm.active("hsm-1", "127.0.0.2", "us-east-1a")));

        cp.addHsm("cluster-a", ControlPlaneHsm.active("hsm-2", "127.0.0.3", "us-east-1b"));
        cp.setHsmState("cluster-a", "hsm-1", ControlPlaneHsm.DEGRADED);
        JsonNode hsms = client.describe("us-east-1", "{}").body().path("Clusters").get(0).path("Hsms");
        assertThat(hsms).hasSize(2);
        assertThat(hsms.get(0).path("State").asText()).isEqualTo("DEGRADED");
        assertThat(hsms.get(1).path("HsmId").asText()).isEqualTo("hsm-2");

        assertThat(cp.removeHsm("cluster-a", "hsm-1")).isTrue();
        assertThat(cp.removeHsm("cluster-a", "hsm-1")).isFalse();
        hsms = client.describe("us-east-1", "{}").body().path("Clusters").get(0).path("Hsms");
        assertThat(hsms).hasSize(1);

        assertThat(cp.removeCluster("cluster-a")).isTrue();
        assertThat(ids(client.describe("us-east-1", "{}"))).isEmpty();
    }

    @Test
    void changesToUnknownClustersOrHsmsNameWhatIsMissing() {
        cp.putCluster(ControlPlaneCluster.active("cluster-a", "us-east-1",
                ControlPlaneHsm.active("hsm-1", "127.0.0.2", "us-east-1a")));

        assertThatThrownBy(() -> cp.addHsm("cluster-zz", ControlPlaneHsm.active("hsm-2", "127.0.0.3", "us-east-1a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster-zz").hasMessageContaining("cluster-a");
        assertThatThrownBy(() -> cp.setHsmState("cluster-a", "hsm-9", "ACTIVE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hsm-9").hasMessageContaining("hsm-1");
        assertThatThrownBy(() -> cp.addHsm("cluster-a", ControlPlaneHsm.active("hsm-1", "127.0.0.4", "us-east-1a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hsm-1");
    }
}
