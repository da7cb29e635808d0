package dev.multislot.protocol;

import static dev.multislot.protocol.RoundTrip.assertResponseRoundTrips;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every response record, with every opcode it may answer, survives encoder and decoder unchanged. */
class ResponseRoundTripTest {

    private static final int TRIES = 150;

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

    @Property(tries = 300)
    void anyResponse(@ForAll("responseFrames") ResponseFrame frame) {
        assertResponseRoundTrips(frame);
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
    Arbitrary<ResponseFrame> responseFrames() {
        return ProtocolArbitraries.responseFrames();
    }
}
