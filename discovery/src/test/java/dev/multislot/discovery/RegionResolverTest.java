package dev.multislot.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain on its own, without network: values, sources, files. */
class RegionResolverTest {

    @TempDir
    Path home;

    private Path writeConfig(String text) throws IOException {
        Path dir = Files.createDirectories(home.resolve(".aws"));
        return Files.writeString(dir.resolve("config"), text);
    }

    @Test
    void eachSourceIsNamed() throws IOException {
        writeConfig("[default]\nregion = eu-north-1\n");

        assertThat(RegionResolver.of(Map.of(), home).resolve(Optional.of("ap-south-1")).source()).contains("--region");
        assertThat(RegionResolver.of(Map.of("AWS_DEFAULT_REGION", "eu-west-3"), home).resolve(Optional.empty()))
                .isEqualTo(new ResolvedRegion("eu-west-3", "the AWS_DEFAULT_REGION environment variable"));
        assertThat(RegionResolver.of(Map.of("AWS_REGION", "eu-west-2"), home).resolve(Optional.empty()))
                .isEqualTo(new ResolvedRegion("eu-west-2", "the AWS_REGION environment variable"));
        assertThat(RegionResolver.of(Map.of(), home).resolve(Optional.empty()))
                .isEqualTo(new ResolvedRegion("eu-north-1", "profile 'default' in " + home.resolve(".aws/config")));
    }

    @Test
    void blankValuesCountAsUnset() throws IOException {
        writeConfig("[default]\nregion = ca-central-1\n");
        ResolvedRegion r = RegionResolver.of(Map.of("AWS_DEFAULT_REGION", "  ", "AWS_REGION", ""), home)
                .resolve(Optional.of(" "));
        assertThat(r.region()).isEqualTo("ca-central-1");
    }

    @Test
    void withNothingSetTheDefaultSaysWhatWasChecked() {
        ResolvedRegion r = RegionResolver.of(Map.of("AWS_PROFILE", "ops"), home).resolve(Optional.empty());
        assertThat(r.region()).isEqualTo("us-east-1");
        assertThat(r.source()).contains("AWS_DEFAULT_REGION").contains("AWS_REGION").contains("'ops'")
                .contains(home.resolve(".aws/config").toString());
    }

    @Test
    void aNamedProfileIsItsProfileSectionAndTildeMeansTheGivenHome() throws IOException {
        Path file = Files.writeString(home.resolve("my-config"),
                "[default]\nregion = us-west-2\n\n[profile prod]\nregion = eu-central-1\n\n[prod]\nregion = sa-east-1\n");
        RegionResolver resolver = RegionResolver.of(Map.of("AWS_PROFILE", "prod", "AWS_CONFIG_FILE", "~/my-config"), home);

        assertThat(resolver.configFile()).isEqualTo(file);
        assertThat(resolver.resolve(Optional.empty()))
                .isEqualTo(new ResolvedRegion("eu-central-1", "profile 'prod' in " + file));
    }

    @Test
    void aProfileWithoutRegionFallsThroughToTheDefault() throws IOException {
        writeConfig("[default]\noutput = json\n");
        assertThat(RegionResolver.of(Map.of(), home).resolve(Optional.empty()).region()).isEqualTo("us-east-1");
    }

    @Test
    void aValueThatIsNoRegionNameIsRefusedNamingItsSource() {
        assertThatThrownBy(() -> RegionResolver.of(Map.of("AWS_REGION", "US East"), home).resolve(Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_REGION").hasMessageContaining("'US East'").hasMessageContaining("us-east-1");
    }

    @Test
    void anUnparsableConfigFileIsNamed() throws IOException {
        Path file = writeConfig("[default\nregion = eu-west-1\n");
        assertThatThrownBy(() -> RegionResolver.of(Map.of(), home).resolve(Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString());
    }
}
