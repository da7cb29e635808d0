package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.AeadCiphertext;
import dev.multislot.api.CipherAlgorithm;
import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.DataInvalidException;
import dev.multislot.api.errors.KeyNotFoundException;
import dev.multislot.api.errors.MechanismInvalidException;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * One slot on one hsm-local cluster, every session operation end to end over real TLS. One suite
 * for every token backend: {@link SingleSlotEndToEndTest} on the software token,
 * {@link SingleSlotEndToEndSoftHsm2Test} on a SoftHSM2 token behind the HSM server. Each subclass
 * registers the {@link MultislotExtension} that starts its cluster, connector and session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SingleSlotEndToEndContract {

    private LocalCluster cluster;
    private ReactorHsmConnector connector;
    private SlotSession session;

    /** Started by the subclass's {@link MultislotExtension}, the same for every test of the class. */
    @BeforeAll
    void start(LocalCluster cluster, ReactorHsmConnector connector, SlotSession session) {
        this.cluster = cluster;
        this.connector = connector;
        this.session = session;
    }

    @Test
    void slotIsListedInConfigOrderWithItsHsms() {
        List<Slot> slots = connector.slots();
        assertThat(slots).hasSize(1);
        Slot slot = slots.get(0);
        assertThat(slot.index()).isZero();
        assertThat(slot.clusterId()).isEqualTo(ClusterId.of(cluster.clusterId()));
        assertThat(slot.hsms()).containsExactlyElementsOf(cluster.hsms().stream().map(h -> HsmAddress.of(h.host(), h.port())).toList());
        assertThat(slot.health().isAvailable()).isTrue();
        assertThat(connector.slot(slot.id())).contains(slot);
    }

    @Test
    void hmacSignaturesVerifyAndAreDeterministic() {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "mac-key").block();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] mac1 = session.sign(key, SignatureAlgorithm.HMAC_SHA256, data).block();
        byte[] mac2 = session.sign(key, SignatureAlgorithm.HMAC_SHA256, data).block();
        assertThat(mac1).hasSize(32).isEqualTo(mac2);
        StepVerifier.create(session.verify(key, SignatureAlgorithm.HMAC_SHA256, data, mac1)).expectNext(true).verifyComplete();
        mac1[0] ^= 1;
        StepVerifier.create(session.verify(key, SignatureAlgorithm.HMAC_SHA256, data, mac1)).expectNext(false).verifyComplete();
    }

    @Test
    void ecdsaSignatureVerifiesWithThePublicKey() throws Exception {
        KeyRef key = session.generateKey(KeyType.EC_P256, "ec-key").block();
        byte[] data = "message".getBytes(StandardCharsets.UTF_8);
        byte[] signature = session.sign(key, SignatureAlgorithm.ECDSA_SHA256, data).block();
        PublicKey publicKey = session.publicKey(key).block();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void aesGcmRoundTripsAndRejectsTampering() {
        KeyRef key = session.generateKey(KeyType.AES_256, "aes-key").block();
        byte[] plain = "secret payload".getBytes(StandardCharsets.UTF_8);
        byte[] aad = "aad".getBytes(StandardCharsets.UTF_8);
        AeadCiphertext ct = session.encrypt(key, CipherAlgorithm.AES_GCM, plain, aad).block();
        assertThat(ct.iv()).hasSize(12);
        assertThat(session.decrypt(key, CipherAlgorithm.AES_GCM, ct, aad).block()).isEqualTo(plain);
        byte[] bad = ct.ciphertext();
        bad[0] ^= 1;
        StepVerifier.create(session.decrypt(key, CipherAlgorithm.AES_GCM, new AeadCiphertext(ct.iv(), bad), aad))
                .expectError(DataInvalidException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void findsListsAndDeletesKeys() {
        KeyRef a = session.generateKey(KeyType.AES_256, "find-me").block();
        KeyRef b = session.generateKey(KeyType.AES_256, "find-me").block();
        assertThat(session.findKeys("find-me").collectList().block()).containsExactlyInAnyOrder(a, b)
                .isSortedAccordingTo((x, y) -> Long.compare(x.handle(), y.handle()));
        assertThat(session.listKeys().collectList().block()).contains(a, b);
        assertThat(session.key(a.handle()).block()).isEqualTo(a);
        session.deleteKey(a).block();
        StepVerifier.create(session.key(a.handle())).expectError(KeyNotFoundException.class).verify(Duration.ofSeconds(5));
        assertThat(session.findKeys("find-me").collectList().block()).containsExactly(b);
    }

    @Test
    void wrongMechanismForTheKeyIsMechanismInvalid() {
        KeyRef aes = session.generateKey(KeyType.AES_256, "not-for-signing").block();
        StepVerifier.create(session.sign(aes, SignatureAlgorithm.ECDSA_SHA256, new byte[] {1}))
                .expectError(MechanismInvalidException.class).verify(Duration.ofSeconds(5));
    }

    @Test
    void randomReturnsTheLengthAsked() {
        assertThat(session.random(1).block()).hasSize(1);
        assertThat(session.random(65536).block()).hasSize(65536);
    }

    @Test
    void signAllKeepsOrderAndBoundsInFlight() {
        KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "batch").block();
        List<byte[]> messages = Flux.range(0, 500).map(i -> ("m" + i).getBytes(StandardCharsets.UTF_8)).collectList().block();
        List<byte[]> macs = session.signAll(key, SignatureAlgorithm.HMAC_SHA256, Flux.fromIterable(messages), 16)
                .collectList().block(Duration.ofSeconds(30));
        assertThat(macs).hasSize(500);
        for (int i : new int[] {0, 17, 499}) {
            assertThat(macs.get(i)).isEqualTo(session.sign(key, SignatureAlgorithm.HMAC_SHA256, messages.get(i)).block());
        }
    }
}
