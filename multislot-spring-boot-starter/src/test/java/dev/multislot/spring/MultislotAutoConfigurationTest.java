package dev.multislot.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmConnector;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.errors.SlotNotFoundException;
import dev.multislot.connector.HsmConnectorOptions;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.connector.RetryMode;
import dev.multislot.local.LocalCluster;
import dev.multislot.spring.internal.ConnectorLifecycle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class MultislotAutoConfigurationTest {

    private static LocalCluster cluster;
    @TempDir
    static Path dir;
    private static Path config;

    @BeforeAll
    static void startCluster() {
        cluster = LocalClusters.start(2);
        config = LocalClusters.writeConfig(dir.resolve("cloudhsm-pkcs11.cfg"), List.of(cluster));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultislotAutoConfiguration.class))
                .withPropertyValues("multislot.config-file=" + config, "multislot.user.name=" + LocalClusters.USER,
                        "multislot.user.password=" + LocalClusters.PASSWORD, "multislot.event-loop-threads=1");
    }

    private static ClusterId clusterId() {
        return ClusterId.of(cluster.clusterId());
    }

    @Test
    void theConnectorBeanIsStartedAndServesTheConfiguredSlotsWithTheConfiguredUser() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(ReactorHsmConnector.class).hasSingleBean(SlotSessions.class);
            HsmConnector connector = context.getBean(HsmConnector.class);
            assertThat(context.getBean(ConnectorLifecycle.class).isRunning()).isTrue();
            assertThat(connector.slots()).extracting(s -> s.clusterId()).containsExactly(clusterId());
            SlotSessions sessions = context.getBean(SlotSessions.class);
            StepVerifier.create(sessions.session(clusterId())
                            .flatMap(s -> s.generateKey(KeyType.EC_P256, "starter-test")
                                    .flatMap(k -> s.sign(k, SignatureAlgorithm.ECDSA_SHA256, new byte[] {1, 2, 3})
                                            .flatMap(sig -> s.verify(k, SignatureAlgorithm.ECDSA_SHA256, new byte[] {1, 2, 3}, sig)))))
                    .expectNext(true)
                    .verifyComplete();
            // One login per slot: the second caller gets the first caller's session.
            assertThat(sessions.session(clusterId()).block(Duration.ofSeconds(5)))
                    .isSameAs(sessions.session(clusterId()).block(Duration.ofSeconds(5)));
            StepVerifier.create(sessions.session(ClusterId.of("cluster-notconfigured2")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SlotNotFoundException.class)
                            .hasMessageContaining(cluster.clusterId()))
                    .verify(Duration.ofSeconds(5));
        });
    }

    @Test
    void optionsComeFromPropertiesWithPerSlotOverridesAndCustomizersLast() {
        runner().withPropertyValues("multislot.request-timeout=4s", "multislot.retry-mode=off",
                        "multislot.breaker.wait-duration-in-open-state=7s",
                        "multislot.slots." + cluster.clusterId() + ".request-timeout=2s",
                        "multislot.slots." + cluster.clusterId() + ".max-pending-requests=17")
                .withUserConfiguration(ClientNameCustomizer.class)
                .run(context -> {
                    HsmConnectorOptions options = context.getBean(ReactorHsmConnector.class).options();
                    assertThat(options.slotDefaults().requestTimeout()).isEqualTo(Duration.ofSeconds(4));
                    assertThat(options.slotDefaults().retryMode()).isEqualTo(RetryMode.OFF);
                    assertThat(options.slotDefaults().breaker().waitDurationInOpenState()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(options.slotOptions(clusterId()).requestTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(options.slotOptions(clusterId()).maxPendingRequests()).isEqualTo(17);
                    assertThat(options.slotOptions(clusterId()).retryMode()).isEqualTo(RetryMode.OFF);
                    assertThat(options.clientName()).isEqualTo("starter-test-client");
                });
    }

    @Test
    void aLocalZoneMakesTheBalancingZoneAwareAndTheApplicationsBreakerRegistryHoldsTheBreakers() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        runner().withPropertyValues("multislot.load-balancing.local-zone=eu-west-1b")
                .withBean(CircuitBreakerRegistry.class, () -> breakers)
                .run(context -> {
                    ReactorHsmConnector connector = context.getBean(ReactorHsmConnector.class);
                    assertThat(connector.options().loadBalancingPolicy()).hasToString("ZoneAware[eu-west-1b]");
                    assertThat(connector.circuitBreakerRegistry()).isSameAs(breakers);
                    assertThat(breakers.getAllCircuitBreakers()).extracting(b -> b.getName())
                            .allMatch(n -> n.startsWith(cluster.clusterId() + "/")).isNotEmpty();
                });
        runner().withPropertyValues("multislot.load-balancing.local-zone= ").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(MultislotPropertyException.class)
                    .hasMessageContaining("multislot.load-balancing.local-zone");
        });
    }

    @Test
    void aRefusedValueNamesThePropertyAndTheValue() {
        runner().withPropertyValues("multislot.slots." + cluster.clusterId() + ".max-pending-requests=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(MultislotPropertyException.class)
                    .hasMessageContaining("multislot.slots." + cluster.clusterId() + ".max-pending-requests")
                    .hasMessageContaining("'0'");
        });
    }

    @Test
    void aRefusedCombinationNamesItsPropertyGroup() {
        runner().withPropertyValues("multislot.breaker.minimum-number-of-calls=80").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(MultislotPropertyException.class)
                    .hasMessageContaining("multislot.breaker").hasMessageContaining("80");
        });
    }

    @Test
    void anUnbindableValueNamesThePropertyAndTheValue() {
        runner().withPropertyValues("multislot.request-timeout=soonish").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("multislot.request-timeout")
                    .hasStackTraceContaining("soonish");
        });
    }

    @Test
    void thePasswordComesFromAFileAndNeverFromBothPlaces() throws Exception {
        Path file = Files.writeString(dir.resolve("password.txt"), LocalClusters.PASSWORD + "\n");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultislotAutoConfiguration.class))
                .withPropertyValues("multislot.config-file=" + config, "multislot.user.name=" + LocalClusters.USER,
                        "multislot.user.password-file=" + file)
                .run(context -> StepVerifier.create(context.getBean(SlotSessions.class).session(clusterId())
                                .flatMap(s -> s.random(8)))
                        .assertNext(bytes -> assertThat(bytes).hasSize(8))
                        .verifyComplete());
        runner().withPropertyValues("multislot.user.password-file=" + file).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("multislot.user.password-file")
                    .hasMessageNotContaining(LocalClusters.PASSWORD);
        });
    }

    @Test
    void withoutWatchingTheFileIsReadOnceAtStart() {
        runner().withPropertyValues("multislot.watch=false").run(context ->
                assertThat(context.getBean(HsmConnector.class).slots()).extracting(s -> s.clusterId()).containsExactly(clusterId()));
        runner().withPropertyValues("multislot.watch=false", "multislot.config-file=" + dir.resolve("missing.cfg")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("multislot.config-file")
                    .hasMessageContaining("missing.cfg");
        });
    }

    @Test
    void anApplicationsOwnConnectorWins() {
        runner().withUserConfiguration(OwnConnector.class).run(context -> {
            assertThat(context).hasSingleBean(HsmConnector.class);
            assertThat(context.getBean(HsmConnector.class)).isSameAs(context.getBean(OwnConnector.class).connector);
        });
    }

    @Test
    void shutdownLetsInFlightRequestsFinishWithinTheGracePeriod() {
        int requests = 100;
        var results = new java.util.concurrent.ConcurrentLinkedQueue<Object>();
        int[] endedBeforeClose = new int[1];
        // Generous timeouts: what is under test is that shutdown waits, not how fast a loaded machine signs.
        runner().withPropertyValues("multislot.close-grace-period=60s", "multislot.attempt-timeout=30s",
                "multislot.request-timeout=60s", "multislot.breaker.sliding-window-size=1000",
                "multislot.breaker.minimum-number-of-calls=1000").run(context -> {
            SlotSessions sessions = context.getBean(SlotSessions.class);
            var session = sessions.session(clusterId()).block(Duration.ofSeconds(5));
            var key = session.generateKey(KeyType.EC_P256, "drain").block(Duration.ofSeconds(5));
            for (int i = 0; i < requests; i++) {
                session.sign(key, SignatureAlgorithm.ECDSA_SHA256, new byte[] {(byte) i})
                        .map(sig -> (Object) sig).onErrorResume(e -> Mono.just(e)).subscribe(results::add);
            }
            endedBeforeClose[0] = results.size();
        });
        // The runner has closed the context: the lifecycle waited for every request.
        assertThat(endedBeforeClose[0]).as("requests ended before shutdown began").isLessThan(requests);
        assertThat(results).hasSize(requests).allSatisfy(r -> assertThat(r).isInstanceOf(byte[].class));
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientNameCustomizer {
        @Bean
        HsmConnectorOptionsCustomizer clientName() {
            return options -> options.clientName("starter-test-client");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConnector {
        final ReactorHsmConnector connector = ReactorHsmConnector.builder()
                .configSource(dev.multislot.api.spi.ClusterConfigSource.fixed(List.of())).build();

        @Bean
        ReactorHsmConnector ownConnector() {
            return connector;
        }
    }
}
