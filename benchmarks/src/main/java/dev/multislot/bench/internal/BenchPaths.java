package dev.multislot.bench.internal;

import java.nio.file.Path;

/** Where the benchmarks write what they produce besides JMH's own results. */
public final class BenchPaths {

    /**
     * System property: the output directory (latency files, server logs). Default
     * {@code target/bench}, relative to the working directory.
     */
    public static final String OUTPUT_DIR_PROPERTY = "multislot.bench.outputDir";

    private BenchPaths() {
    }

    /** The output directory; {@link #OUTPUT_DIR_PROPERTY} or {@code target/bench}. */
    public static Path outputDir() {
        return Path.of(System.getProperty(OUTPUT_DIR_PROPERTY, "target/bench")).toAbsolutePath();
    }

    /** Where each trial writes its latency percentiles. */
    public static Path latencyDir() {
        return outputDir().resolve("latency");
    }
}
