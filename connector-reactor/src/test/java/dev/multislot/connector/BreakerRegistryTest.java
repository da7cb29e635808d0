package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.BreakerState;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmBreakerOpenException;
import dev.multislot.api.errors.SlotUnavailableException;
import dev.multislot.local.LocalCluster;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The HSMs' breakers live in the registry the user gives, named {@code <cluster-id>/<host>:<port>},
 * metered through resilience4j-micrometer, and their refusals reach callers typed.
 */
class BreakerRegistryTest {

    @Test
    void breakersAreNamedInTheUsersRegistryMeteredAndRefuseWithATypedError() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LocalCluster cluster = Clusters.start(2)) {
            ReactorHsmConnector connector = ReactorHsmConnector.builder()
                    .options(Clusters.testOptions().breaker(b -> b.waitDurationInOpenState(Duration.ofMinutes(5))).build())
                    .configSource(new TestConfigSource(List.of(Clusters.config(cluster))))
                    .circuitBreakerRegistry(breakers)
                    .meterRegistry(meters)
                    .build();
            connector.connect().block(Duration.ofSeconds(20));
            try {
                assertThat(connector.circuitBreakerRegistry()).isSameAs(breakers);
                List<String> names = cluster.hsms().stream()
                        .map(h -> Clusters.id(cluster) + "/" + Clusters.address(h)).toList();
                assertThat(breakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
                        .containsExactlyInAnyOrderElementsOf(names);
                for (String name : names) {
                    Gauge state = meters.find("resilience4j.circuitbreaker.state").tag("name", name).tag("state", "closed")
                            .gauge();
                    assertThat(state).as("the closed-state gauge of " + name).isNotNull();
                    assertThat(state.value()).isEqualTo(1.0);
                }

                Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
                SlotSession session = Internals.loginEverywhere(slot);
                KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "breakers").block(Duration.ofSeconds(10));
                names.forEach(n -> breakers.circuitBreaker(n).transitionToForcedOpenState());

                StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(1)))
                        .expectErrorSatisfies(e -> {
                            assertThat(e).isInstanceOf(SlotUnavailableException.class);
                            for (HsmAddress hsm : cluster.hsms().stream().map(Clusters::address).toList()) {
                                Throwable why = ((SlotUnavailableException) e).errors().get(hsm);
                                assertThat(why).isInstanceOf(HsmBreakerOpenException.class);
                                HsmBreakerOpenException refusal = (HsmBreakerOpenException) why;
                                assertThat(refusal.breakerName()).isEqualTo(Clusters.id(cluster) + "/" + hsm);
                                assertThat(refusal.breakerState()).isEqualTo(BreakerState.OPEN);
                                assertThat(refusal.hsm()).contains(hsm);
                                assertThat(refusal.clusterId()).contains(Clusters.id(cluster));
                                assertThat(refusal).hasMessageContaining("circuit breaker");
                            }
                        })
                        .verify(Duration.ofSeconds(10));
                assertThat(slot.health().hsms()).allSatisfy(h -> assertThat(h.breaker()).isEqualTo(BreakerState.OPEN));

                names.forEach(n -> breakers.circuitBreaker(n).transitionToClosedState());
                assertThat(session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(2)).block(Duration.ofSeconds(10)))
                        .isNotEmpty();
            } finally {
                connector.close(Duration.ZERO).block(Duration.ofSeconds(10));
            }
            assertThat(breakers.getAllCircuitBreakers()).as("a closed connector leaves no breaker behind").isEmpty();
            assertThat(meters.find("resilience4j.circuitbreaker.state").gauges()).isEmpty();
        }
    }

}
