package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.multislot.api.HsmAddress;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ServerConfig;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the config file parser and validator. Whatever the bytes,
 * parsing gives a config or one {@link ConfigFileException} that names the problem in at most 1,000
 * characters; every host name a config it accepts holds is an IP literal or an RFC 1123 name
 * ({@link HsmAddress#isValidHost}); and it is written and read back to the same config, clusters and text.
 *
 * <p>Seeds and every input that ever failed: {@code ConfigFileFuzzerInputs/anyBytes/} beside this
 * class in the test resources (docs/reliability.md).
 */
class ConfigFileFuzzer {

    private final ConfigCodec codec = ConfigCodec.defaults();

    private static final java.util.Comparator<com.fasterxml.jackson.databind.JsonNode> SAME_NUMBER = (a, b) ->
            a.equals(b) || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

    @FuzzTest(maxDuration = "5s")
    void anyBytes(byte[] bytes) {
        ConfigFile file;
        try {
            file = codec.parse(bytes, Optional.empty());
        } catch (ConfigFileException e) {
            // Bad values are quoted shortened: however large the input, the problem stays a line.
            assertThat(e.problem()).isNotBlank().hasSizeLessThanOrEqualTo(1000);
            return;
        }
        for (ClusterConfig c : file.clusters()) {
            for (ServerConfig server : c.servers()) {
                assertThat(HsmAddress.isValidHost(server.hostname())).as("accepted host %s", server.hostname()).isTrue();
            }
        }
        byte[] written = codec.serialize(file);
        ConfigFile again = codec.parse(written, Optional.empty());
        // Numbers in fields Multislot does not know may come back in another notation (2.5e1 as 25.0): the same
        // value, compared as a value; everything else node for node.
        assertThat(again.tree().equals(SAME_NUMBER, file.tree())).as("the file's meaning survives a rewrite").isTrue();
        assertThat(again.clusters()).isEqualTo(file.clusters());
        assertThat(codec.serialize(again)).isEqualTo(written);
    }
}
