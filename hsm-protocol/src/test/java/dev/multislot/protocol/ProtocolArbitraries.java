package dev.multislot.protocol;

import java.util.EnumSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators for every value the protocol carries. Sizes are kept so that a frame fits in 1 MiB. */
final class ProtocolArbitraries {

    private ProtocolArbitraries() {
    }

    // ------------------------------------------------------------------ fields

    /** Request ids over the whole int range (the wire field is an opaque u32). */
    static Arbitrary<Integer> requestIds() {
        return Arbitraries.integers();
    }

    static Arbitrary<Long> handles() {
        return Arbitraries.longs();
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    /**
     * Valid Unicode strings (no unpaired surrogates, so UTF-8 round-trips exactly), mixing ASCII,
     * control characters and NUL, 2- and 3-byte characters and supplementary characters; now and
     * then one close to the 65,535-byte limit of a string field.
     */
    static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(2, Arbitraries.integers().between(0, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF).filter(c -> c < 0xD800 || c > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        // At most 4 UTF-8 bytes per code point: 16,383 code points always fit in 65,535 bytes.
        Arbitrary<String> shortOnes = codePoint.list().ofMaxSize(64).map(ProtocolArbitraries::fromCodePoints);
        // Long strings repeat a random piece (building them code point by code point is slow).
        Arbitrary<String> longOnes = Combinators.combine(codePoint.list().ofMinSize(1).ofMaxSize(64),
                Arbitraries.integers().between(1000, 16_383)).as((piece, n) -> {
                    StringBuilder sb = new StringBuilder(n * 2);
                    for (int i = 0; i < n; i++) {
                        sb.appendCodePoint(piece.get(i % piece.size()));
                    }
                    return sb.toString();
                });
        return Arbitraries.frequencyOf(Tuple.of(30, shortOnes), Tuple.of(1, longOnes));
    }

    private static String fromCodePoints(java.util.List<Integer> cps) {
        StringBuilder sb = new StringBuilder(cps.size() * 2);
        cps.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** Byte arrays from empty to 64 KiB, mostly small. */
    static Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // Larger arrays come from a seeded generator: jqwik builds arrays element by element,
        // which is slow for kilobytes and finds nothing a seeded fill would miss.
        Arbitrary<byte[]> medium = seeded(Arbitraries.integers().between(65, 4096));
        Arbitrary<byte[]> large = seeded(Arbitraries.integers().between(4097, 65_536));
        return Arbitraries.frequencyOf(Tuple.of(12, small), Tuple.of(4, medium), Tuple.of(1, large));
    }

    private static Arbitrary<byte[]> seeded(Arbitrary<Integer> sizes) {
        return Combinators.combine(sizes, Arbitraries.longs()).as((n, seed) -> {
            byte[] a = new byte[n];
            new java.util.Random(seed).nextBytes(a);
            return a;
        });
    }

    static Arbitrary<WireKeyType> keyTypes() {
        return Arbitraries.of(WireKeyType.class);
    }

    static Arbitrary<Mechanism> mechanisms() {
        return Arbitraries.of(Mechanism.class);
    }

    static Arbitrary<Opcode> opcodes() {
        return Arbitraries.of(Opcode.class);
    }

    static Arbitrary<Status> errorStatuses() {
        EnumSet<Status> errors = EnumSet.allOf(Status.class);
        errors.remove(Status.OK);
        return Arbitraries.of(errors);
    }

    // ------------------------------------------------------------------ requests

    static Arbitrary<Request.Hello> hello() {
        return Combinators.combine(u16(), strings()).as(Request.Hello::new);
    }

    static Arbitrary<Request.Ping> ping() {
        return bytes().map(Request.Ping::new);
    }

    static Arbitrary<Request.Login> login() {
        return Combinators.combine(strings(), bytes()).as(Request.Login::new);
    }

    static Arbitrary<Request.Logout> logout() {
        return Arbitraries.just(new Request.Logout());
    }

    static Arbitrary<Request.GenerateKey> generateKey() {
        return Combinators.combine(keyTypes(), strings()).as(Request.GenerateKey::new);
    }

    static Arbitrary<Request.FindKeys> findKeys() {
        return strings().optional(0.7).map(Request.FindKeys::new);
    }

    static Arbitrary<Request.GetKey> getKey() {
        return handles().map(Request.GetKey::new);
    }

    static Arbitrary<Request.GetPublicKey> getPublicKey() {
        return handles().map(Request.GetPublicKey::new);
    }

    static Arbitrary<Request.DeleteKey> deleteKey() {
        return handles().map(Request.DeleteKey::new);
    }

    static Arbitrary<Request.Sign> sign() {
        return Combinators.combine(handles(), mechanisms(), bytes()).as(Request.Sign::new);
    }

    static Arbitrary<Request.Verify> verify() {
        return Combinators.combine(handles(), mechanisms(), bytes(), bytes()).as(Request.Verify::new);
    }

    static Arbitrary<Request.Encrypt> encrypt() {
        return Combinators.combine(handles(), mechanisms(), bytes(), bytes()).as(Request.Encrypt::new);
    }

    static Arbitrary<Request.Decrypt> decrypt() {
        return Combinators.combine(handles(), mechanisms(), bytes(), bytes(), bytes()).as(Request.Decrypt::new);
    }

    static Arbitrary<Request.Random> random() {
        return Arbitraries.integers().map(Request.Random::new);
    }

    /** Any request, every opcode equally likely. */
    static Arbitrary<Request> requests() {
        return Arbitraries.oneOf(hello(), ping(), login(), logout(), generateKey(), findKeys(), getKey(),
                getPublicKey(), deleteKey(), sign(), verify(), encrypt(), decrypt(), random());
    }

    static Arbitrary<RequestFrame> requestFrames() {
        return Combinators.combine(requestIds(), requests()).as(RequestFrame::new);
    }

    // ------------------------------------------------------------------ responses

    static Arbitrary<Response.HelloOk> helloOk() {
        return Combinators.combine(u16(), strings(), strings(), Arbitraries.integers(), Arbitraries.integers())
                .as(Response.HelloOk::new);
    }

    static Arbitrary<Response.Done> done() {
        return Arbitraries.just(new Response.Done());
    }

    static Arbitrary<Response.KeyInfo> keyInfo() {
        return Combinators.combine(handles(), keyTypes(), strings()).as(Response.KeyInfo::new);
    }

    static Arbitrary<Response.KeyList> keyList() {
        Arbitrary<Response.KeyInfo> smallLabels = Combinators.combine(handles(), keyTypes(),
                Arbitraries.strings().ofMaxLength(40)
                        .withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff').withCharRange('\u4e00', '\u4fff'))
                .as(Response.KeyInfo::new);
        return smallLabels.list().ofMaxSize(50).map(Response.KeyList::new);
    }

    static Arbitrary<Response.Bytes> bytesResponse() {
        return bytes().map(Response.Bytes::new);
    }

    static Arbitrary<Response.Verified> verified() {
        return Arbitraries.of(true, false).map(Response.Verified::new);
    }

    static Arbitrary<Response.Encrypted> encrypted() {
        return Combinators.combine(bytes(), bytes()).as(Response.Encrypted::new);
    }

    static Arbitrary<Response.Error> error() {
        return Combinators.combine(errorStatuses(), strings()).as(Response.Error::new);
    }

    /** A response frame whose opcode is one that response's type answers. */
    static Arbitrary<ResponseFrame> responseFrames() {
        return Arbitraries.oneOf(
                frames(helloOk(), Opcode.HELLO),
                frames(done(), Opcode.LOGIN, Opcode.LOGOUT, Opcode.DELETE_KEY),
                frames(keyInfo(), Opcode.GENERATE_KEY, Opcode.GET_KEY),
                frames(keyList(), Opcode.FIND_KEYS),
                frames(bytesResponse(), Opcode.PING, Opcode.GET_PUBLIC_KEY, Opcode.SIGN, Opcode.DECRYPT, Opcode.RANDOM),
                frames(verified(), Opcode.VERIFY),
                frames(encrypted(), Opcode.ENCRYPT),
                frames(error(), Opcode.values()));
    }

    static Arbitrary<ResponseFrame> frames(Arbitrary<? extends Response> responses, Opcode... answering) {
        return Combinators.combine(requestIds(), Arbitraries.of(answering), responses)
                .as((id, op, r) -> new ResponseFrame(id, op, r));
    }
}
