package dev.multislot.local;

import static dev.multislot.local.TestHsmClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.WireKeyType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Many requests on one connection: answered as they finish, each matched to its request exactly once. */
class MultiplexingTest {

    private static final int REQUESTS = 1_000;

    @Test
    void thousandRequestsOnOneConnectionComeBackOutOfOrderEachMatchedOnce() {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).build());
                TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            long ec = ok(c.call(new Request.GenerateKey(WireKeyType.EC_P256, "slow")), Response.KeyInfo.class).handle();
            long mac = ok(c.call(new Request.GenerateKey(WireKeyType.HMAC_SHA256, "fast")), Response.KeyInfo.class)
                    .handle();
            int firstId = c.nextId();

            // A mix of slow (ECDSA) and fast (HMAC, random) crypto and PINGs, which the event loop
            // answers at once: finishing order differs from sending order.
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                byte[] tag = ByteBuffer.allocate(4).putInt(i).array();
                requests.add(switch (kind(i)) {
                    case 0 -> new Request.Sign(ec, Mechanism.ECDSA_SHA256, tag);
                    case 1 -> new Request.Sign(mac, Mechanism.HMAC_SHA256, tag);
                    case 2 -> new Request.Random(1 + i % 97);
                    default -> new Request.Ping(tag);
                });
            }
            List<CompletableFuture<ResponseFrame>> futures = c.sendAll(requests);

            for (int i = 0; i < REQUESTS; i++) {
                ResponseFrame f = TestHsmClient.await(futures.get(i));
                assertThat(f.requestId()).isEqualTo(firstId + i);
                assertThat(f.opcode()).isEqualTo(requests.get(i).opcode());
                byte[] value = ok(f.response(), Response.Bytes.class).value();
                switch (kind(i)) {
                    case 0 -> assertThat(value.length).isBetween(64, 72); // DER ECDSA P-256
                    case 1 -> assertThat(value).hasSize(32);
                    case 2 -> assertThat(value).hasSize(1 + i % 97);
                    default -> assertThat(ByteBuffer.wrap(value).getInt()).isEqualTo(i);
                }
            }

            List<Integer> arrived = new ArrayList<>(c.arrivals).subList(c.arrivals.size() - REQUESTS, c.arrivals.size());
            Set<Integer> unique = new HashSet<>(arrived);
            assertThat(unique).hasSize(REQUESTS);
            assertThat(arrived).allSatisfy(id -> assertThat(id).isBetween(firstId, firstId + REQUESTS - 1));
            assertThat(c.unsolicited).isEmpty();
            int outOfOrder = 0;
            for (int i = 1; i < arrived.size(); i++) {
                if (arrived.get(i) < arrived.get(i - 1)) {
                    outOfOrder++;
                }
            }
            assertThat(outOfOrder).as("responses that overtook an earlier request").isPositive();

            // Crypto alone also finishes out of order: cheap requests overtake ECDSA on the workers.
            List<Integer> cryptoOnly = arrived.stream().filter(id -> kind(id - firstId) != 3).toList();
            int cryptoOutOfOrder = 0;
            for (int i = 1; i < cryptoOnly.size(); i++) {
                if (cryptoOnly.get(i) < cryptoOnly.get(i - 1)) {
                    cryptoOutOfOrder++;
                }
            }
            assertThat(cryptoOutOfOrder).as("crypto answers that overtook earlier crypto").isPositive();
        }
    }

    /** 0 = ECDSA (one in eight: the slow ones), 1 = HMAC, 2 = random, 3 = PING. */
    private static int kind(int i) {
        return i % 8 == 0 ? 0 : 1 + i % 3;
    }
}
