package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the config file parser and validator. Whatever the bytes,
 * parsing gives a config or one {@link ConfigFileException} that names the problem; a config it
 * accepts is written and read back to the same config, clusters and text.
 *
 * <p>Seeds and every input that ever failed: {@code ConfigFileFuzzerInputs/anyBytes/} beside this
 * class in the test resources (docs/reliability.md).
 */
class ConfigFileFuzzer {

    private final ConfigCodec codec = ConfigCodec.defaults();

    @FuzzTest(maxDuration = "5s")
    void anyBytes(byte[] bytes) {
        ConfigFile file;
        try {
            file = codec.parse(bytes, Optional.empty());
        } catch (ConfigFileException e) {
            assertThat(e.problem()).isNotBlank();
            return;
        }
        byte[] written = codec.serialize(file);
        ConfigFile again = codec.parse(written, Optional.empty());
        assertThat(again).isEqualTo(file);
        assertThat(again.clusters()).isEqualTo(file.clusters());
        assertThat(codec.serialize(again)).isEqualTo(written);
    }
}
