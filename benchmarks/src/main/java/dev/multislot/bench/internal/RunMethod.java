package dev.multislot.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a run measured, as {@code summary.json}'s {@code method} reports it: written by the run to
 * {@code method.json} beside JMH's results, so that {@code --summary-only} reports it too.
 */
public final class RunMethod {

    /** The file name in the output directory. */
    public static final String FILE = "method.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunMethod() {
    }

    /** Writes the method of a run with {@code plan} and {@code pinning} to {@code outDir/method.json}. */
    public static void write(Path outDir, BenchPlan plan, CpuPinning pinning) {
        ObjectNode m = JSON.createObjectNode();
        m.put("warmup_s", plan.warmupTotalSeconds());
        m.put("warmup_iterations", plan.warmupIterations());
        m.put("warmup_iteration_s", plan.warmupSeconds());
        m.put("measurement_iterations", plan.measurementIterations());
        m.put("measurement_iteration_s", plan.measurementSeconds());
        m.put("trials", plan.trials());
        m.put("pinned", pinning.pinned());
        m.put("client_cpus", pinning.clientCpus());
        m.put("server_cpus", pinning.serverCpus());
        if (!pinning.pinned()) {
            m.put("not_pinned_because", pinning.reason());
        }
        m.put("netty_leak_detection", "disabled");
        m.put("quick", plan.quick());
        try {
            Files.createDirectories(outDir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve(FILE).toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir.resolve(FILE), e);
        }
    }

    /** The method written to {@code outDir}, or null if there is none. */
    static JsonNode read(Path outDir) {
        Path f = outDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            System.err.println("summary: skipping unreadable " + f + ": " + e.getMessage());
            return null;
        }
    }
}
