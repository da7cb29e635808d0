package dev.multislot.config.internal;

import dev.multislot.api.spi.ClusterConfig;
import java.util.List;

/** What one read of the watched file found. */
public sealed interface Outcome {

    /** A valid config. */
    record Valid(List<ClusterConfig> clusters) implements Outcome {
        public Valid {
            clusters = List.copyOf(clusters);
        }
    }

    /** No file (or no directory) at the path. */
    record Missing() implements Outcome {
    }

    /** A file that cannot be used, and why (file, JSON path, problem). */
    record Invalid(String problem) implements Outcome {
    }
}
