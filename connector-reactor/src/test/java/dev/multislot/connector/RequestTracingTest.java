package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.SlotSession;
import dev.multislot.connector.internal.slot.SlotImpl;
import dev.multislot.local.LocalCluster;
import dev.multislot.testsupport.Await;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a Micrometer Tracing user sees: with a tracing handler on the observation registry, every
 * request is one finished span, in the caller's trace and child of the caller's span, tagged with
 * the slot, the operation, the outcome and the HSM that answered.
 */
class RequestTracingTest {

    @Test
    void eachRequestIsASpanInTheCallersTrace() {
        SimpleTracer tracer = new SimpleTracer();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        try (LocalCluster cluster = Clusters.start(2);
                ReactorHsmConnector connector = ReactorHsmConnector.builder().options(Clusters.testOptions().build())
                        .configSource(new TestConfigSource(List.of(Clusters.config(cluster))))
                        .observationRegistry(registry).build()) {
            connector.connect().block(Duration.ofSeconds(20));
            SlotImpl slot = (SlotImpl) connector.slot(Clusters.id(cluster)).orElseThrow();
            Await.until("every HSM to be connected", Duration.ofSeconds(30),
                    () -> slot.nodes().stream().allMatch(n -> !n.readyConnections().isEmpty()));
            SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(10));
            tracer.getSpans().clear();

            Observation caller = Observation.start("caller", registry);
            for (int i = 0; i < 3; i++) {
                assertThat(session.random(8).contextWrite(c -> c.put(ObservationThreadLocalAccessor.KEY, caller))
                        .block(Duration.ofSeconds(5))).hasSize(8);
            }
            caller.stop();

            List<SimpleSpan> spans = List.copyOf(tracer.getSpans());
            SimpleSpan parent = spans.stream().filter(s -> s.getName().equals("caller")).findFirst().orElseThrow();
            List<SimpleSpan> requests = spans.stream().filter(s -> s.getName().equals("multislot random")).toList();
            List<String> hsms = cluster.hsms().stream().map(h -> Clusters.address(h).toString()).toList();
            assertThat(requests).hasSize(3).allSatisfy(span -> {
                assertThat(span.getEndTimestamp()).as("finished").isNotNull();
                assertThat(span.context().traceId()).isEqualTo(parent.context().traceId());
                assertThat(span.context().parentId()).isEqualTo(parent.context().spanId());
                assertThat(span.getTags()).containsEntry("slot", cluster.clusterId())
                        .containsEntry("operation", "random").containsEntry("outcome", "success");
                assertThat(span.getTags().get("hsm")).isIn(hsms);
            });
            assertThat(requests.stream().map(s -> s.context().spanId()).distinct()).hasSize(3);
        }
    }
}
