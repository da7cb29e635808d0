package dev.multislot.protocol;

import static dev.multislot.protocol.RoundTrip.assertRequestRoundTrips;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every request record survives encoder, byte stream and decoder unchanged. */
class RequestRoundTripTest {

    private static final int TRIES = 200;

    @Property(tries = TRIES)
    void hello(@ForAll("ids") int id, @ForAll("hello") Request.Hello r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void ping(@ForAll("ids") int id, @ForAll("ping") Request.Ping r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void login(@ForAll("ids") int id, @ForAll("login") Request.Login r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = 50)
    void logout(@ForAll("ids") int id) {
        assertRequestRoundTrips(new RequestFrame(id, new Request.Logout()));
    }

    @Property(tries = TRIES)
    void generateKey(@ForAll("ids") int id, @ForAll("generateKey") Request.GenerateKey r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void findKeys(@ForAll("ids") int id, @ForAll("findKeys") Request.FindKeys r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void getKey(@ForAll("ids") int id, @ForAll long handle) {
        assertRequestRoundTrips(new RequestFrame(id, new Request.GetKey(handle)));
    }

    @Property(tries = TRIES)
    void getPublicKey(@ForAll("ids") int id, @ForAll long handle) {
        assertRequestRoundTrips(new RequestFrame(id, new Request.GetPublicKey(handle)));
    }

    @Property(tries = TRIES)
    void deleteKey(@ForAll("ids") int id, @ForAll long handle) {
        assertRequestRoundTrips(new RequestFrame(id, new Request.DeleteKey(handle)));
    }

    @Property(tries = TRIES)
    void sign(@ForAll("ids") int id, @ForAll("sign") Request.Sign r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void verify(@ForAll("ids") int id, @ForAll("verify") Request.Verify r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void encrypt(@ForAll("ids") int id, @ForAll("encrypt") Request.Encrypt r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void decrypt(@ForAll("ids") int id, @ForAll("decrypt") Request.Decrypt r) {
        assertRequestRoundTrips(new RequestFrame(id, r));
    }

    @Property(tries = TRIES)
    void random(@ForAll("ids") int id, @ForAll int length) {
        assertRequestRoundTrips(new RequestFrame(id, new Request.Random(length)));
    }

    @Property(tries = 500)
    void anyRequest(@ForAll("requestFrames") RequestFrame frame) {
        assertRequestRoundTrips(frame);
    }

    @Example
    void findKeysWithAnEmptyLabelIsNotTheSameAsNoLabel() {
        assertRequestRoundTrips(new RequestFrame(1, new Request.FindKeys(Optional.of(""))));
        assertRequestRoundTrips(new RequestFrame(2, new Request.FindKeys(Optional.empty())));
        assertThat(DecoderHarness.bytes(new RequestFrame(1, new Request.FindKeys(Optional.of("")))))
                .isNotEqualTo(DecoderHarness.bytes(new RequestFrame(1, new Request.FindKeys(Optional.empty()))));
    }

    @Example
    void stringsAtTheFieldLimitRoundTripAndOneByteMoreIsRefused() {
        String max = "\u20ac".repeat(21_845); // 3 UTF-8 bytes each: 65,535 bytes
        assertRequestRoundTrips(new RequestFrame(7, new Request.GenerateKey(WireKeyType.AES_256, max)));
        String tooLong = max + "a";
        assertThatThrownBy(() -> DecoderHarness.bytes(new RequestFrame(7, new Request.Hello(1, tooLong))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
    }

    @Example
    void theComparisonSeesByteContent() {
        // Guards the properties above: a comparison that ignored array content would pass anything.
        RequestFrame a = new RequestFrame(1, new Request.Sign(1, Mechanism.ECDSA_SHA256, new byte[] {1, 2}));
        RequestFrame b = new RequestFrame(1, new Request.Sign(1, Mechanism.ECDSA_SHA256, new byte[] {1, 3}));
        assertThatThrownBy(() -> assertThat(b).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(a))
                .isInstanceOf(AssertionError.class);
    }

    @Provide
    Arbitrary<Integer> ids() {
        return ProtocolArbitraries.requestIds();
    }

    @Provide
    Arbitrary<Request.Hello> hello() {
        return ProtocolArbitraries.hello();
    }

    @Provide
    Arbitrary<Request.Ping> ping() {
        return ProtocolArbitraries.ping();
    }

    @Provide
    Arbitrary<Request.Login> login() {
        return ProtocolArbitraries.login();
    }

    @Provide
    Arbitrary<Request.GenerateKey> generateKey() {
        return ProtocolArbitraries.generateKey();
    }

    @Provide
    Arbitrary<Request.FindKeys> findKeys() {
        return ProtocolArbitraries.findKeys();
    }

    @Provide
    Arbitrary<Request.Sign> sign() {
        return ProtocolArbitraries.sign();
    }

    @Provide
    Arbitrary<Request.Verify> verify() {
        return ProtocolArbitraries.verify();
    }

    @Provide
    Arbitrary<Request.Encrypt> encrypt() {
        return ProtocolArbitraries.encrypt();
    }

    @Provide
    Arbitrary<Request.Decrypt> decrypt() {
        return ProtocolArbitraries.decrypt();
    }

    @Provide
    Arbitrary<RequestFrame> requestFrames() {
        return ProtocolArbitraries.requestFrames();
    }
}
