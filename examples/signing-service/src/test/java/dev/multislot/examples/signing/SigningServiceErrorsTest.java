package dev.multislot.examples.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** Overload, timeout and unavailability as the HTTP statuses a client can act on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class SigningServiceErrorsTest {

    private static final LocalCluster CLUSTER = LocalHsms.start(1);

    @Autowired
    WebTestClient http;
    @Autowired
    HsmConnector connector;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hsms(DynamicPropertyRegistry registry) {
        LocalHsms.configure(registry, List.of(CLUSTER));
        String slot = "multislot.slots." + CLUSTER.clusterId() + ".";
        registry.add(slot + "max-pending-requests", () -> "1");
        registry.add(slot + "request-timeout", () -> "2s");
        // Longer than the request timeout: the stalled request ends as a timeout, not as a failover with nowhere to go.
        registry.add(slot + "attempt-timeout", () -> "10s");
        // One timed-out attempt must not open the breaker: the timeout, not unavailability, is under test.
        registry.add(slot + "breaker.sliding-window-size", () -> "100");
        registry.add(slot + "breaker.minimum-number-of-calls", () -> "100");
    }

    @BeforeEach
    @AfterEach
    void heal() {
        CLUSTER.hsm(0).faults().reset();
        if (!CLUSTER.hsm(0).isRunning()) {
            CLUSTER.hsm(0).start();
        }
        await().atMost(Duration.ofSeconds(30)).until(
                () -> connector.slot(ClusterId.of(CLUSTER.clusterId())).orElseThrow().health().isAvailable());
    }

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void aFullSlotIs503WithRetryAfterAndAStalledHsmIs504() {
        String sign = signUri(createKey());
        CLUSTER.hsm(0).faults().stall(true);
        CompletableFuture<Integer> pending = WebClient.create("http://127.0.0.1:" + port).post().uri(sign)
                .contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(new byte[] {1})
                .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value()))
                .toFuture();
        await().atMost(Duration.ofSeconds(10)).until(
                () -> connector.slot(ClusterId.of(CLUSTER.clusterId())).orElseThrow().health().pendingRequests() == 1);

        http.post().uri(sign).contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(new byte[] {2})
                .exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals("Retry-After", ProblemDetails.RETRY_AFTER_SECONDS)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Slot overloaded");
        assertThat(pending.join()).as("the request the stalled HSM never answered").isEqualTo(HttpStatus.GATEWAY_TIMEOUT.value());
    }

    @Test
    void aSlotWithNoReachableHsmIs503() {
        String sign = signUri(createKey());
        CLUSTER.hsm(0).stop();
        await().atMost(Duration.ofSeconds(10)).until(
                () -> !connector.slot(ClusterId.of(CLUSTER.clusterId())).orElseThrow().health().isAvailable());
        http.post().uri(sign).contentType(MediaType.APPLICATION_OCTET_STREAM).bodyValue(new byte[] {3})
                .exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.title").isEqualTo("Slot unavailable");
    }

    private long createKey() {
        Map<String, Object> key = http.post().uri("/v1/slots/" + CLUSTER.clusterId() + "/keys")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("type", "EC_P256", "label", "errors"))
                .exchange().expectStatus().isCreated()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { }).returnResult().getResponseBody();
        return ((Number) key.get("handle")).longValue();
    }

    private String signUri(long handle) {
        return "/v1/slots/" + CLUSTER.clusterId() + "/keys/" + handle + "/sign?algorithm=ECDSA_SHA256";
    }
}
