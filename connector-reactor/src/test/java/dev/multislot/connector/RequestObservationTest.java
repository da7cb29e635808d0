package dev.multislot.connector;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.KeyAvailabilityException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Each request is one {@code multislot.request} observation, child of the one in the Reactor context. */
class RequestObservationTest {

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = Clusters.start(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ReactorHsmConnector connect(TestObservationRegistry registry) {
        ReactorHsmConnector connector = ReactorHsmConnector.builder().options(Clusters.testOptions().build())
                .configSource(new TestConfigSource(List.of(Clusters.config(cluster))))
                .observationRegistry(registry).build();
        connector.connect().block(Duration.ofSeconds(20));
        Await.until("every HSM to be connected", Duration.ofSeconds(60), () -> connector.slots().stream()
                .allMatch(s -> ((SlotImpl) s).nodes().stream().allMatch(n -> !n.readyConnections().isEmpty())));
        return connector;
    }

    @Test
    void aRequestIsOneObservationWithTheCallersObservationAsParent() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (ReactorHsmConnector connector = connect(registry)) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "observed").block();
            registry.clear();

            Observation parent = Observation.start("caller", registry);
            byte[] mac = session.sign(key, SignatureAlgorithm.HMAC_SHA256, Clusters.bytes(7))
                    .contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, parent))
                    .block(Duration.ofSeconds(5));
            parent.stop();
            assertThat(mac).hasSize(32);
            List<String> hsms = cluster.hsms().stream().map(h -> Clusters.address(h).toString()).toList();

            assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("multislot.request", 1)
                    .hasObservationWithNameEqualTo("multislot.request").that()
                    .hasBeenStarted().hasBeenStopped()
                    .hasContextualNameEqualTo("multislot sign")
                    .hasLowCardinalityKeyValue("slot", cluster.clusterId())
                    .hasLowCardinalityKeyValue("operation", "sign")
                    .hasLowCardinalityKeyValue("outcome", "success")
                    .hasHighCardinalityKeyValueWithKey("hsm")
                    .doesNotHaveError()
                    .hasParentObservationEqualTo(parent)
                    .satisfies(ctx -> assertThat(ctx.getHighCardinalityKeyValue("hsm").getValue()).isIn(hsms));
        }
    }

    @Test
    void aFailedRequestsObservationCarriesItsOutcomeAndError() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (ReactorHsmConnector connector = connect(registry)) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            KeyRef aes = session.generateKey(KeyType.AES_256, "observed-aes").block();
            dev.multislot.api.AeadCiphertext ct = session.encrypt(aes, dev.multislot.api.CipherAlgorithm.AES_GCM,
                    Clusters.bytes(3), new byte[0]).block();
            byte[] tampered = ct.ciphertext().clone();
            tampered[0] ^= 1;
            registry.clear();

            StepVerifier.create(session.decrypt(aes, dev.multislot.api.CipherAlgorithm.AES_GCM,
                            new dev.multislot.api.AeadCiphertext(ct.iv(), tampered), new byte[0]))
                    .expectError(dev.multislot.api.errors.DataInvalidException.class).verify(Duration.ofSeconds(5));

            assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("multislot.request", 1)
                    .hasObservationWithNameEqualTo("multislot.request").that()
                    .hasBeenStopped()
                    .doesNotHaveParentObservation()
                    .hasLowCardinalityKeyValue("operation", "decrypt")
                    .hasLowCardinalityKeyValue("outcome", "other")
                    .hasError()
                    .assertThatError().isInstanceOf(dev.multislot.api.errors.DataInvalidException.class);
        }
    }

    @Test
    void aCancelledRequestsObservationIsStoppedAsCancelled() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        try (ReactorHsmConnector connector = connect(registry)) {
            SlotSession session = connector.slot(Clusters.id(cluster)).orElseThrow().login(Clusters.USER).block();
            registry.clear();
            StepVerifier.create(session.random(16), 0).thenCancel().verify(Duration.ofSeconds(5));
            assertThat(registry)
                    .hasObservationWithNameEqualTo("multislot.request").that()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "cancelled")
                    .doesNotHaveError();
        }
    }
}
