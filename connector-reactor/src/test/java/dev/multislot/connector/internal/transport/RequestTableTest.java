package dev.multislot.connector.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.RequestFrame;
import dev.multislot.protocol.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Request ids: a place reused after a request ended gets a new generation, so a late answer never matches. */
class RequestTableTest {

    @Test
    void anIdNamesItsRequestOnlyUntilThePlaceIsReused() {
        RequestTable table = new RequestTable(4);
        TestRequest a = new TestRequest(new Request.Random(1));
        TestRequest b = new TestRequest(new Request.Random(1));
        int idA = table.put(a);
        assertThat(idA).isNotZero();
        assertThat(table.get(idA)).isSameAs(a);
        assertThat(table.remove(a)).isTrue();
        assertThat(table.remove(a)).as("removing twice frees the place once").isFalse();
        int idB = table.put(b);
        assertThat(idB & 3).as("the freed place is taken again").isEqualTo(idA & 3);
        assertThat(idB).isNotEqualTo(idA);
        assertThat(table.get(idA)).as("the old id no longer names anything").isNull();
        assertThat(table.get(idB)).isSameAs(b);
        assertThat(table.occupied()).isEqualTo(1);
    }

    @Test
    void aLateAnswerAfterATimeoutIsDroppedAndTheNewRequestOnItsPlaceGetsOnlyItsOwn() {
        EmbeddedHsm hsm = EmbeddedHsm.ready(16);
        try {
            TestRequest first = hsm.send(new Request.Random(8), Duration.ofSeconds(1));
            RequestFrame lateOne = hsm.single();
            hsm.advance(Duration.ofSeconds(2));
            assertThat(first.failures).singleElement().isInstanceOfSatisfying(AttemptFailure.class,
                    f -> assertThat(f.kind()).isEqualTo(AttemptFailure.Kind.TIMEOUT));

            TestRequest second = hsm.send(new Request.Random(8), Duration.ofSeconds(1));
            RequestFrame current = hsm.single();
            assertThat(current.requestId()).isNotEqualTo(lateOne.requestId());

            hsm.answer(lateOne.requestId(), Opcode.RANDOM, new Response.Bytes(new byte[8]));
            assertThat(second.signals()).as("the late answer is not the new request's").isZero();
            assertThat(first.signals()).as("the timed-out request ended once").isEqualTo(1);
            assertThat(hsm.connection.lateResponses()).isEqualTo(1);
            assertThat(hsm.metrics.lateResponses()).isEqualTo(1);

            hsm.answer(current.requestId(), Opcode.RANDOM, new Response.Bytes(new byte[8]));
            assertThat(second.answers).hasSize(1);
            assertThat(hsm.connection.occupiedPlaces().block()).isZero();
            assertThat(hsm.connection.load()).isZero();
        } finally {
            hsm.close();
        }
    }
}
