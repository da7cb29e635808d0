package dev.multislot.protocol;

import static dev.multislot.protocol.DecoderHarness.concat;
import static dev.multislot.protocol.DecoderHarness.rawFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.protocol.HsmFrameDecoder.Side;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive, the decoder surfaces nothing but {@link ProtocolViolationException}:
 * no other exception type, no {@link OutOfMemoryError}, and no frame made up from a lie.
 */
class DecoderFuzzTest {

    private static final int KIND_REQUEST = 0;
    private static final int KIND_RESPONSE = 1;

    // ------------------------------------------------------------------ helpers

    private static DecoderHarness harness(Side side) {
        return new DecoderHarness(side, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
    }

    private static void feedInChunks(DecoderHarness h, byte[] bytes, int chunk) {
        for (int at = 0; at < bytes.length; at += chunk) {
            h.feed(bytes, at, Math.min(bytes.length, at + chunk));
        }
    }

    private static void assertOnlyProtocolViolations(DecoderHarness h) {
        assertThat(h.errors).allSatisfy(e -> assertThat(e).isExactlyInstanceOf(ProtocolViolationException.class));
    }

    /** Exactly one violation, naming {@code expectedText}, and nothing decoded. */
    private static void assertOneViolation(DecoderHarness h, String expectedText) {
        assertThat(h.messages).isEmpty();
        assertThat(h.errors).singleElement()
                .isExactlyInstanceOf(ProtocolViolationException.class)
                .extracting(Throwable::getMessage).asString().contains(expectedText);
    }

    private static int kindFor(Side side) {
        return side == Side.SERVER ? KIND_REQUEST : KIND_RESPONSE;
    }

    private static byte[] payload(java.util.function.Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(buf);
            return DecoderHarness.toArray(buf);
        } finally {
            buf.release();
        }
    }

    // ------------------------------------------------------------------ random input

    @Property(tries = 300)
    void randomBytesSurfaceOnlyProtocolViolations(@ForAll Side side,
            @ForAll @Size(max = 2048) byte[] bytes, @ForAll @IntRange(min = 1, max = 300) int chunk) {
        try (DecoderHarness h = harness(side)) {
            feedInChunks(h, bytes, chunk);
            h.end();
            assertOnlyProtocolViolations(h);
        }
    }

    /** A plausible prefix and header make the random tail reach the field decoders. */
    @Property(tries = 1000)
    void randomPayloadsBehindAPlausibleHeaderSurfaceOnlyProtocolViolations(@ForAll Side side,
            @ForAll("kinds") int kind, @ForAll("opcodeBytes") int opcode, @ForAll("statusCodes") int status,
            @ForAll int requestId, @ForAll("tails") byte[] tail) {
        try (DecoderHarness h = harness(side)) {
            h.feed(rawFrame(kind, opcode, status, requestId, tail));
            h.end();
            assertOnlyProtocolViolations(h);
            assertThat(h.messages.size() + h.errors.size()).as("one frame, one outcome").isEqualTo(1);
        }
    }

    @Property(tries = 500)
    void validFramesWithFlippedBytesSurfaceOnlyProtocolViolations(@ForAll("validFrames") Tuple2<Side, byte[]> frame,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> positions,
            @ForAll byte mask) {
        byte[] wire = frame.get2().clone();
        for (int p : positions) {
            wire[p % wire.length] ^= (byte) (mask == 0 ? 1 : mask);
        }
        try (DecoderHarness h = harness(frame.get1())) {
            feedInChunks(h, wire, 97);
            h.feed(new byte[] {0, 0, 0, 0}); // gives a frame whose length bytes were damaged something to end on
            h.end();
            assertOnlyProtocolViolations(h);
        }
    }

    /** Every layout is self-delimiting, so no proper prefix of a valid frame is itself valid. */
    @Property(tries = 200)
    void aValidFrameCutShortWithAHonestPrefixIsAViolation(@ForAll("validFrames") Tuple2<Side, byte[]> frame,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int cutSeed) {
        byte[] wire = frame.get2();
        int body = wire.length - 4;
        int keep = body - 1 - (cutSeed % body); // 0 .. body-1 bytes after the prefix
        byte[] cut = new byte[4 + keep];
        System.arraycopy(wire, 0, cut, 0, cut.length);
        Unpooled.wrappedBuffer(cut).setInt(0, keep);
        try (DecoderHarness h = harness(frame.get1())) {
            h.feed(cut);
            assertOneViolation(h, keep < ProtocolConstants.HEADER_SIZE ? "header" : "");
        }
    }

    @Property(tries = 200)
    void trailingBytesAfterAValidPayloadAreAViolation(@ForAll("validFrames") Tuple2<Side, byte[]> frame,
            @ForAll @Size(min = 1, max = 64) byte[] trailing) {
        byte[] wire = concat(frame.get2(), trailing);
        Unpooled.wrappedBuffer(wire).setInt(0, wire.length - 4);
        try (DecoderHarness h = harness(frame.get1())) {
            h.feed(wire);
            assertOneViolation(h, trailing.length + " unexpected bytes after");
        }
    }

    /** A frame whose prefix promises more than ever arrives is simply never delivered. */
    @Property(tries = 200)
    void aTruncatedStreamThenCloseDeliversNothingAndThrowsNothingElse(
            @ForAll("validFrames") Tuple2<Side, byte[]> frame, @ForAll @IntRange(min = 1, max = 4096) int missing) {
        byte[] wire = frame.get2();
        int keep = Math.max(0, wire.length - missing);
        try (DecoderHarness h = harness(frame.get1())) {
            h.feed(wire, 0, keep);
            h.end();
            assertThat(h.messages).isEmpty();
            assertOnlyProtocolViolations(h);
        }
    }

    @Property(tries = 100)
    void aTruncatedFrameFollowedByGarbageSurfacesOnlyProtocolViolations(
            @ForAll("validFrames") Tuple2<Side, byte[]> frame, @ForAll @IntRange(min = 1, max = 64) int missing,
            @ForAll @Size(max = 1024) byte[] garbage) {
        byte[] wire = frame.get2();
        try (DecoderHarness h = harness(frame.get1())) {
            h.feed(wire, 0, Math.max(0, wire.length - missing));
            feedInChunks(h, garbage, 512);
            h.end();
            assertOnlyProtocolViolations(h);
        }
    }

    // ------------------------------------------------------------------ lying lengths

    @Example
    void aBytesFieldClaimingGigabytesIsRefusedWithoutAllocating() {
        for (long claim : new long[] {0x8000_0000L, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 2L << 30 | 1, 11}) {
            byte[] sign = payload(b -> b.writeLong(1).writeByte(Mechanism.ECDSA_SHA256.code())
                    .writeInt((int) claim).writeBytes(new byte[10]));
            try (DecoderHarness h = harness(Side.SERVER)) {
                h.feed(rawFrame(KIND_REQUEST, Opcode.SIGN.code(), 0, 5, sign));
                assertOneViolation(h, "byte string of " + claim + " bytes does not fit");
            }
            try (DecoderHarness h = harness(Side.CLIENT)) {
                h.feed(rawFrame(KIND_RESPONSE, Opcode.SIGN.code(), 0, 5,
                        payload(b -> b.writeInt((int) claim).writeBytes(new byte[10]))));
                assertOneViolation(h, "byte string of " + claim + " bytes does not fit");
            }
        }
    }

    @Example
    void aStringFieldLongerThanItsFrameIsRefused() {
        byte[] hello = payload(b -> b.writeShort(1).writeShort(0xFFFF).writeBytes("abc".getBytes()));
        try (DecoderHarness h = harness(Side.SERVER)) {
            h.feed(rawFrame(KIND_REQUEST, Opcode.HELLO.code(), 0, 1, hello));
            assertOneViolation(h, "string needs 65535 bytes");
        }
    }

    @Example
    void aKeyCountTheFrameCannotHoldIsRefusedBeforeAnyListIsAllocated() {
        for (int count : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 2}) {
            // Room for exactly one smallest entry (11 bytes): two or more cannot fit.
            byte[] list = payload(b -> b.writeInt(count).writeLong(1).writeByte(1).writeShort(0));
            try (DecoderHarness h = harness(Side.CLIENT)) {
                h.feed(rawFrame(KIND_RESPONSE, Opcode.FIND_KEYS.code(), 0, 1, list));
                assertOneViolation(h, "key count " + Integer.toUnsignedString(count));
            }
        }
    }

    @Example
    void aHelloTooShortForItsVersionFieldIsAViolation() {
        for (byte[] tail : new byte[][] {{}, {1}}) {
            try (DecoderHarness h = harness(Side.SERVER)) {
                h.feed(rawFrame(KIND_REQUEST, Opcode.HELLO.code(), 0, 1, tail));
                assertOneViolation(h, "u16");
            }
            try (DecoderHarness h = harness(Side.CLIENT)) {
                h.feed(rawFrame(KIND_RESPONSE, Opcode.HELLO.code(), 0, 1, tail));
                assertOneViolation(h, "u16");
            }
        }
    }

    // ------------------------------------------------------------------ unknown codes

    @Example
    void everyUnknownKindIsAViolation() {
        for (Side side : Side.values()) {
            try (DecoderHarness h = harness(side)) {
                int fed = 0;
                for (int kind = 0; kind < 256; kind++) {
                    if (kind != kindFor(side)) {
                        h.feed(rawFrame(kind, Opcode.LOGOUT.code(), 0, kind, new byte[0]));
                        fed++;
                    }
                }
                assertThat(h.messages).isEmpty();
                assertThat(h.errors).hasSize(fed);
                assertOnlyProtocolViolations(h);
            }
        }
    }

    @Example
    void everyUnknownOpcodeIsAViolation() {
        for (Side side : Side.values()) {
            try (DecoderHarness h = harness(side)) {
                int fed = 0;
                for (int op = 0; op < 256; op++) {
                    if (Opcode.fromCode(op) == null) {
                        h.feed(rawFrame(kindFor(side), op, 0, op, new byte[0]));
                        fed++;
                    }
                }
                assertThat(fed).isEqualTo(256 - Opcode.values().length);
                assertThat(h.messages).isEmpty();
                assertThat(h.errors).hasSize(fed)
                        .allSatisfy(e -> assertThat(e).hasMessageContaining("unknown opcode"));
                assertOnlyProtocolViolations(h);
            }
        }
    }

    @Example
    void everyUnknownStatusIsAViolationAndRequestsCarryOnlyOk() {
        byte[] message = payload(b -> b.writeShort(2).writeBytes("no".getBytes()));
        // All 65,536 codes through the frame codec the decoder delegates to (a channel per code
        // would take seconds), then a sample through the decoder itself.
        int unknown = 0;
        for (int status = 1; status <= 0xFFFF; status++) {
            byte[] body = rawFrame(KIND_RESPONSE, Opcode.SIGN.code(), status, status, message);
            ByteBuf frame = Unpooled.wrappedBuffer(body, 4, body.length - 4);
            if (Status.fromCode(status) == null) {
                unknown++;
                assertThatThrownBy(() -> FrameCodec.decodeResponse(frame))
                        .isExactlyInstanceOf(ProtocolViolationException.class).hasMessageContaining("unknown status");
            } else {
                assertThat(FrameCodec.decodeResponse(frame).status().code()).isEqualTo(status);
            }
        }
        assertThat(unknown).isEqualTo(0xFFFF - (Status.values().length - 1));
        try (DecoderHarness client = harness(Side.CLIENT); DecoderHarness server = harness(Side.SERVER)) {
            int fed = 0;
            for (int status = 1; status <= 0xFFFF; status += 257) {
                if (Status.fromCode(status) == null) {
                    client.feed(rawFrame(KIND_RESPONSE, Opcode.SIGN.code(), status, status, message));
                    fed++;
                }
            }
            assertThat(client.messages).isEmpty();
            assertThat(client.errors).hasSize(fed);
            assertOnlyProtocolViolations(client);
            for (Status s : Status.values()) {
                if (s != Status.OK) {
                    server.feed(rawFrame(KIND_REQUEST, Opcode.LOGOUT.code(), s.code(), 1, new byte[0]));
                }
            }
            server.feed(rawFrame(KIND_REQUEST, Opcode.LOGOUT.code(), 0x7777, 1, new byte[0]));
            assertThat(server.messages).isEmpty();
            assertThat(server.errors).hasSize(Status.values().length);
            assertOnlyProtocolViolations(server);
        }
    }

    @Example
    void everyUnknownKeyTypeIsAViolation() {
        try (DecoderHarness server = harness(Side.SERVER); DecoderHarness client = harness(Side.CLIENT)) {
            int fed = 0;
            for (int type = 0; type < 256; type++) {
                if (WireKeyType.fromCode(type) == null) {
                    int t = type;
                    server.feed(rawFrame(KIND_REQUEST, Opcode.GENERATE_KEY.code(), 0, 1,
                            payload(b -> b.writeByte(t).writeShort(1).writeByte('k'))));
                    client.feed(rawFrame(KIND_RESPONSE, Opcode.GET_KEY.code(), 0, 1,
                            payload(b -> b.writeLong(3).writeByte(t).writeShort(1).writeByte('k'))));
                    fed++;
                }
            }
            for (DecoderHarness h : List.of(server, client)) {
                assertThat(h.messages).isEmpty();
                assertThat(h.errors).hasSize(fed).allSatisfy(e -> assertThat(e).hasMessageContaining("unknown key type"));
                assertOnlyProtocolViolations(h);
            }
        }
    }

    @Example
    void everyUnknownMechanismIsAViolation() {
        try (DecoderHarness h = harness(Side.SERVER)) {
            int fed = 0;
            for (int mech = 0; mech < 256; mech++) {
                if (Mechanism.fromCode(mech) == null) {
                    int m = mech;
                    for (Opcode op : List.of(Opcode.SIGN, Opcode.VERIFY, Opcode.ENCRYPT, Opcode.DECRYPT)) {
                        h.feed(rawFrame(KIND_REQUEST, op.code(), 0, 1,
                                payload(b -> b.writeLong(3).writeByte(m).writeZero(12))));
                        fed++;
                    }
                }
            }
            assertThat(h.messages).isEmpty();
            assertThat(h.errors).hasSize(fed).allSatisfy(e -> assertThat(e).hasMessageContaining("unknown mechanism"));
            assertOnlyProtocolViolations(h);
        }
    }

    @Example
    void aFlagOtherThanZeroOrOneIsAViolation() {
        try (DecoderHarness server = harness(Side.SERVER); DecoderHarness client = harness(Side.CLIENT)) {
            for (int flag = 2; flag < 256; flag++) {
                int f = flag;
                server.feed(rawFrame(KIND_REQUEST, Opcode.FIND_KEYS.code(), 0, 1,
                        payload(b -> b.writeByte(f).writeShort(0))));
                client.feed(rawFrame(KIND_RESPONSE, Opcode.VERIFY.code(), 0, 1, new byte[] {(byte) f}));
            }
            for (DecoderHarness h : List.of(server, client)) {
                assertThat(h.messages).isEmpty();
                assertThat(h.errors).hasSize(254).allSatisfy(e -> assertThat(e).hasMessageContaining("flag"));
                assertOnlyProtocolViolations(h);
            }
        }
    }

    // ------------------------------------------------------------------ frame level

    @Example
    void aFrameShorterThanTheHeaderIsAViolation() {
        for (Side side : Side.values()) {
            for (int len = 0; len < ProtocolConstants.HEADER_SIZE; len++) {
                byte[] wire = new byte[4 + len];
                Unpooled.wrappedBuffer(wire).setInt(0, len);
                if (len > 0) {
                    wire[4] = (byte) kindFor(side);
                }
                try (DecoderHarness h = harness(side)) {
                    h.feed(wire);
                    assertOneViolation(h, "shorter than the 8-byte header");
                }
            }
        }
    }

    @Example
    void anOversizeLengthPrefixIsRefusedFromThePrefixAlone() {
        int max = ProtocolConstants.MIN_MAX_FRAME_SIZE;
        for (long declared : new long[] {max + 1, ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + 1, 0x7FFF_FFFFL,
                0x8000_0000L, 0xFFFF_FFFFL}) {
            for (Side side : Side.values()) {
                try (DecoderHarness h = new DecoderHarness(side, max)) {
                    // The four prefix bytes, nothing after them: the refusal must not wait for the body.
                    h.feed(payload(b -> b.writeInt((int) declared)));
                    assertOneViolation(h, "larger than the maximum of " + max);
                }
            }
        }
    }

    @Example
    void aStatusOnARequestIsAViolation() {
        try (DecoderHarness h = harness(Side.SERVER)) {
            h.feed(rawFrame(KIND_REQUEST, Opcode.LOGOUT.code(), Status.HSM_BUSY.code(), 1, new byte[0]));
            assertOneViolation(h, "request frame with status HSM_BUSY");
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Integer> kinds() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(KIND_REQUEST, KIND_RESPONSE)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
    }

    @Provide
    Arbitrary<Integer> opcodeBytes() {
        return Arbitraries.frequencyOf(Tuple.of(8, ProtocolArbitraries.opcodes().map(Opcode::code)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
    }

    @Provide
    Arbitrary<Integer> statusCodes() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0)),
                Tuple.of(3, Arbitraries.of(Status.class).map(Status::code)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)));
    }

    /** Random tails, often starting with small length fields so they reach the deeper checks. */
    @Provide
    Arbitrary<byte[]> tails() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(256);
        Arbitrary<byte[]> smallNumbers = Arbitraries.integers().between(0, 16).list().ofMaxSize(64).map(list -> {
            byte[] b = new byte[list.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (int) list.get(i);
            }
            return b;
        });
        return Arbitraries.oneOf(raw, smallNumbers);
    }

    /** A valid frame and the side that decodes it, kept small so mutations hit every field. */
    @Provide
    Arbitrary<Tuple2<Side, byte[]>> validFrames() {
        Arbitrary<Tuple2<Side, byte[]>> requests = ProtocolArbitraries.requestFrames()
                .map(f -> Tuple.of(Side.SERVER, DecoderHarness.bytes(f)));
        Arbitrary<Tuple2<Side, byte[]>> responses = ProtocolArbitraries.responseFrames()
                .map(f -> Tuple.of(Side.CLIENT, DecoderHarness.bytes(f)));
        return Arbitraries.oneOf(requests, responses).filter(t -> t.get2().length <= 16_384);
    }
}
