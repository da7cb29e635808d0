package dev.multislot.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.multislot.protocol.HsmFrameDecoder.Side;

/**
 * Coverage-guided fuzzing (Jazzer) of the decoder the HSM reads requests with: {@link FrameDecoderOracle} on every input.
 * Seeds and every input that ever failed: {@code RequestDecoderFuzzerInputs/anyBytes/} beside this
 * class in the test resources (docs/reliability.md).
 */
class RequestDecoderFuzzer {

    @FuzzTest(maxDuration = "5s")
    void anyBytes(byte[] wire) {
        FrameDecoderOracle.check(Side.SERVER, wire);
    }
}
