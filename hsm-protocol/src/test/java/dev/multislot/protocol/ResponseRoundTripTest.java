package dev.multislot.protocol;

import static dev.multislot.protocol.RoundTrip.assertResponseRoundTrips;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every response record, with every opcode it may answer, survives encoder and decoder unchanged. */
class ResponseRoundTripTest {

    private static final int TRIES = 200;

    @Property(tries = TRIES)
    void helloOk(@ForAll("helloOk") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = 50)
    void done(@ForAll("done") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = TRIES)
    void keyInfo(@ForAll("keyInfo") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = TRIES)
    void keyList(@ForAll("keyList") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = TRIES)
    void bytes(@ForAll("bytes") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = 50)
    void verified(@ForAll("verified") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = TRIES)
    void encrypted(@ForAll("encrypted") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = TRIES)
    void error(@ForAll("error") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    @Property(tries = 500)
    void anyResponse(@ForAll("responseFrames") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
    }

    /** Which success record answers which opcode: the table in docs/protocol.md. */
    private static final Map<Class<? extends Response>, Set<Opcode>> ANSWERS = Map.of(
            Response.HelloOk.class, Set.of(Opcode.HELLO),
            Response.Done.class, Set.of(Opcode.LOGIN, Opcode.LOGOUT, Opcode.DELETE_KEY),
            Response.KeyInfo.class, Set.of(Opcode.GENERATE_KEY, Opcode.GET_KEY),
            Response.KeyList.class, Set.of(Opcode.FIND_KEYS),
            Response.Bytes.class, Set.of(Opcode.PING, Opcode.GET_PUBLIC_KEY, Opcode.SIGN, Opcode.DECRYPT, Opcode.RANDOM),
            Response.Verified.class, Set.of(Opcode.VERIFY),
            Response.Encrypted.class, Set.of(Opcode.ENCRYPT),
            Response.Error.class, Set.of(Opcode.values()));

    /** Whatever the encoder accepts decodes to an equal value; a record that does not answer its opcode is refused. */
    @Property(tries = 500)
    void aResponseIsEncodedOnlyWithTheOpcodesItAnswers(@ForAll int id, @ForAll Opcode opcode,
            @ForAll("anyResponse") Response response) {
        ResponseFrame frame = new ResponseFrame(id, opcode, response);
        if (ANSWERS.get(response.getClass()).contains(opcode)) {
            assertResponseRoundTrips(frame);
        } else {
            assertThatThrownBy(() -> DecoderHarness.bytes(frame))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not answer " + opcode);
        }
    }

    @Example
    void anEmptyKeyListRoundTrips() {
        assertResponseRoundTrips(new ResponseFrame(0, Opcode.FIND_KEYS, new Response.KeyList(List.of())));
    }

    @Provide
    Arbitrary<ResponseFrame> helloOk() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.helloOk(), Opcode.HELLO);
    }

    @Provide
    Arbitrary<ResponseFrame> done() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.done(), Opcode.LOGIN, Opcode.LOGOUT, Opcode.DELETE_KEY);
    }

    @Provide
    Arbitrary<ResponseFrame> keyInfo() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.keyInfo(), Opcode.GENERATE_KEY, Opcode.GET_KEY);
    }

    @Provide
    Arbitrary<ResponseFrame> keyList() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.keyList(), Opcode.FIND_KEYS);
    }

    @Provide
    Arbitrary<ResponseFrame> bytes() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.bytesResponse(),
                Opcode.PING, Opcode.GET_PUBLIC_KEY, Opcode.SIGN, Opcode.DECRYPT, Opcode.RANDOM);
    }

    @Provide
    Arbitrary<ResponseFrame> verified() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.verified(), Opcode.VERIFY);
    }

    @Provide
    Arbitrary<ResponseFrame> encrypted() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.encrypted(), Opcode.ENCRYPT);
    }

    @Provide
    Arbitrary<ResponseFrame> error() {
        return ProtocolArbitraries.frames(ProtocolArbitraries.error(), Opcode.values());
    }

    @Provide
    Arbitrary<Response> anyResponse() {
        return Arbitraries.oneOf(ProtocolArbitraries.helloOk(), ProtocolArbitraries.done(),
                ProtocolArbitraries.keyInfo(), ProtocolArbitraries.keyList(), ProtocolArbitraries.bytesResponse(),
                ProtocolArbitraries.verified(), ProtocolArbitraries.encrypted(), ProtocolArbitraries.error());
    }

    @Provide
    Arbitrary<ResponseFrame> responseFrames() {
        return ProtocolArbitraries.responseFrames();
    }
}
