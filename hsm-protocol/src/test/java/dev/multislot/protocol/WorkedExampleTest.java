package dev.multislot.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hex examples in docs/protocol.md, byte for byte, in both directions. */
class WorkedExampleTest {

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
    }

    private static final RequestFrame SIGN = new RequestFrame(42,
            new Request.Sign(0x1001, Mechanism.ECDSA_SHA256, "hello".getBytes(StandardCharsets.US_ASCII)));
    private static final byte[] SIGN_WIRE = hex("""
            00 00 00 1a
            00 30 00 00 00 00 00 2a
            00 00 00 00 00 00 10 01
            01
            00 00 00 05 68 65 6c 6c 6f
            """);

    private static final ResponseFrame SIGNED = new ResponseFrame(42, Opcode.SIGN,
            new Response.Bytes(hex("de ad be ef")));
    private static final byte[] SIGNED_WIRE = hex("""
            00 00 00 10
            01 30 00 00 00 00 00 2a
            00 00 00 04 de ad be ef
            """);

    private static final ResponseFrame BUSY = new ResponseFrame(42, Opcode.SIGN,
            new Response.Error(Status.HSM_BUSY, "busy"));
    private static final byte[] BUSY_WIRE = hex("""
            00 00 00 0e
            01 30 80 01 00 00 00 2a
            00 04 62 75 73 79
            """);

    private static final RequestFrame HELLO = new RequestFrame(1, new Request.Hello(1, "app"));
    private static final byte[] HELLO_WIRE = hex("""
            00 00 00 0f
            00 01 00 00 00 00 00 01
            00 01 00 03 61 70 70
            """);

    private static final ResponseFrame HELLO_OK = new ResponseFrame(1, Opcode.HELLO,
            new Response.HelloOk(1, "hsm-1", "cluster-1", 256, 1 << 20));
    private static final byte[] HELLO_OK_WIRE = hex("""
            00 00 00 24
            01 01 00 00 00 00 00 01
            00 01
            00 05 68 73 6d 2d 31
            00 09 63 6c 75 73 74 65 72 2d 31
            00 00 01 00
            00 10 00 00
            """);

    @Test
    void theSignRequestExample() {
        assertThat(DecoderHarness.bytes(SIGN)).isEqualTo(SIGN_WIRE);
        try (DecoderHarness server = DecoderHarness.server()) {
            server.feed(SIGN_WIRE);
            assertThat(server.messages).hasSize(1);
            assertThat(server.messages.get(0)).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(SIGN);
        }
    }

    @Test
    void theSignResponseExamples() {
        assertThat(DecoderHarness.bytes(SIGNED)).isEqualTo(SIGNED_WIRE);
        assertThat(DecoderHarness.bytes(BUSY)).isEqualTo(BUSY_WIRE);
        try (DecoderHarness client = DecoderHarness.client()) {
            client.feed(DecoderHarness.concat(SIGNED_WIRE, BUSY_WIRE));
            assertThat(client.errors).isEmpty();
            assertThat(client.messages).hasSize(2);
            assertThat(client.messages.get(0)).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(SIGNED);
            assertThat(client.messages.get(1)).usingRecursiveComparison(RoundTrip.sameFrame()).isEqualTo(BUSY);
        }
    }

    @Test
    void theHandshakeExample() {
        assertThat(DecoderHarness.bytes(HELLO)).isEqualTo(HELLO_WIRE);
        assertThat(DecoderHarness.bytes(HELLO_OK)).isEqualTo(HELLO_OK_WIRE);
    }
}
