package dev.multislot.examples.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** An HSM killed under concurrent sign requests: every response is still a signature. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SigningServiceFailoverTest {

    private static final LocalCluster CLUSTER = LocalHsms.start(3);
    private static final int REQUESTS = 600;
    private static final int CONCURRENCY = 16;
    private static final int KILL_AFTER = 150;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void hsms(DynamicPropertyRegistry registry) {
        LocalHsms.configure(registry, List.of(CLUSTER));
    }

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void killingAnHsmUnderConcurrentSignsFailsNoResponse() throws Exception {
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String keys = "/v1/slots/" + CLUSTER.clusterId() + "/keys";
        Map<String, Object> key = http.post().uri(keys).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "EC_P256", "label", "failover"))
                .retrieve().bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { })
                .block(Duration.ofSeconds(30));
        String sign = keys + "/" + ((Number) key.get("handle")).longValue() + "/sign?algorithm=ECDSA_SHA256";

        AtomicInteger done = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Integer> failures = Flux.range(0, REQUESTS)
                .flatMap(i -> http.post().uri(sign).contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .bodyValue(new byte[] {i.byteValue(), (byte) (i >> 8)})
                        .exchangeToMono(r -> r.bodyToMono(byte[].class).thenReturn(r.statusCode().value()))
                        .doOnNext(status -> {
                            statuses.merge(status, 1, Integer::sum);
                            if (done.incrementAndGet() == KILL_AFTER) {
                                // Stopping a server waits for its sockets: off the event loop.
                                Schedulers.boundedElastic().schedule(() -> {
                                    CLUSTER.hsm(0).stop();
                                    killed.countDown();
                                });
                            }
                        }), CONCURRENCY)
                .filter(status -> status != 200)
                .collectList()
                .block(Duration.ofMinutes(3));

        assertThat(killed.await(30, TimeUnit.SECONDS)).as("the HSM was killed during the run").isTrue();
        assertThat(CLUSTER.hsm(0).isRunning()).isFalse();
        assertThat(failures).as("responses other than 200, by status: " + statuses).isEmpty();
        assertThat(done.get()).isEqualTo(REQUESTS);
    }
}
