package dev.multislot.cli.soak;

import dev.multislot.cli.StopOnSignal;
import dev.multislot.cli.demo.DurationConverter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multislot soak}: a long run under continual trouble, with figures (see docs/reliability.md). */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run a stateless workload on hsm-local while HSMs are killed and restarted, clusters added and",
                "removed, connections stalled, slowed, reset and half-closed, and servers disabled in the config file.",
                "Reports requests, lost, doubled and unexpected failures, and RSS, threads and fds at start and end.",
                "Exits 1 if any request was lost, ended twice or failed unexpectedly."})
public final class SoakCommand implements Callable<Integer> {

    @Option(names = "--duration", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to run, such as 60s or 10m. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--workers", defaultValue = "16",
            description = "Requests in flight at once (one per worker). Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--seed", description = "Seed of the chaos's choices, to replay a run. Default: random.")
    Long seed;

    @Option(names = "--json", description = "Print the figures as one JSON object on stdout (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (duration.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--duration " + duration.toMillis() + "ms: expected at least 10s");
        }
        if (workers < 1 || workers > 1024) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--workers " + workers + ": expected 1 to 1024");
        }
        Soak soak = new Soak(duration, workers, json, seed != null ? seed : System.nanoTime());
        return StopOnSignal.run("soak-shutdown", Duration.ofSeconds(30), soak::interrupt, soak::run);
    }
}
