package dev.multislot.api.spi;

import java.util.List;
import java.util.Objects;

/**
 * One item of a {@link ClusterConfigSource}: a config now in force, or a config refused.
 */
public sealed interface ConfigUpdate {

    /**
     * A valid config, now in force.
     *
     * @param source where it came from (such as the file path)
     * @param clusters every configured cluster, in config order
     * @param diff how it differs from the config in force before (everything is added in the first)
     */
    record Loaded(String source, List<ClusterConfig> clusters, ConfigDiff diff) implements ConfigUpdate {
        public Loaded {
            Objects.requireNonNull(source, "source");
            clusters = List.copyOf(clusters);
            Objects.requireNonNull(diff, "diff");
        }
    }

    /**
     * A config that could not be used; the previous one stays in force.
     *
     * @param source where it came from
     * @param problem what is wrong: the file, the JSON path and the problem
     */
    record Rejected(String source, String problem) implements ConfigUpdate {
        public Rejected {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(problem, "problem");
        }
    }
}
