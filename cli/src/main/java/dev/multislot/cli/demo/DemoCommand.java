package dev.multislot.cli.demo;

import dev.multislot.cli.LocalBackend;
import dev.multislot.cli.StopOnSignal;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multislot demo}: the main job. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run every Multislot capability live on hsm-local: two clusters added with configure-pkcs11,",
                "a mixed workload on both slots, then hot-adding a third cluster, killing and restoring an HSM,",
                "and removing a cluster, with a live progress line and a summary. Exits 1 if any request failed",
                "that the script did not cause."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long the workload runs, such as 20s or 2m. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--concurrency", defaultValue = "32",
            description = "Request chains running at once across all slots. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--json", description = "Print the summary as one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Option(names = "--backend", defaultValue = "software",
            description = "What keeps each cluster's keys: software (in memory) or softhsm2 (a real PKCS#11 token per"
                    + " cluster). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--prometheus-port", paramLabel = "PORT",
            description = "Serve the connector's meters at http://127.0.0.1:PORT/metrics (Prometheus text format) "
                    + "while the demo runs; 0 picks a free port. Default: off.")
    Integer prometheusPort;

    @Override
    public Integer call() throws Exception {
        if (duration.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--duration " + duration.toMillis() + "ms: expected at least 2s");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--concurrency " + concurrency + ": expected 1 to 4096");
        }
        LocalBackend tokens = LocalBackend.named(backend).orElseThrow(() -> new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "--backend " + backend + ": expected software or softhsm2"));
        if (prometheusPort != null && (prometheusPort < 0 || prometheusPort > 65535)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--prometheus-port " + prometheusPort + ": expected 0 to 65535");
        }
        Demo demo = new Demo(duration, concurrency, json, tokens, prometheusPort);
        return StopOnSignal.run("demo-shutdown", Duration.ofSeconds(15), demo::interrupt, demo::run);
    }
}
