package dev.multislot.bench.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs the client JVMs and the HSM-server JVMs of a benchmark run use. With two or more CPUs
 * allowed and {@code taskset} installed, the allowed CPUs are split in two disjoint halves (the
 * lower half for the client, the rest for the server): a throughput ratio then shows what the
 * client costs instead of two JVMs fighting over the same core. The benchmark process pins itself
 * (and so every JMH fork it starts) to the client half; each fork starts its server under
 * {@code taskset -c <server half>} ({@link ServerProcess}).
 *
 * @param pinned whether the two sets are in force
 * @param clientCpus the client's CPU list in {@code taskset} form ({@code 0} or {@code 0-3}); the
 *     allowed CPUs when not pinned
 * @param serverCpus the server's CPU list; the allowed CPUs when not pinned
 * @param reason why the JVMs are not pinned; empty when they are
 */
public record CpuPinning(boolean pinned, String clientCpus, String serverCpus, String reason) {

    /**
     * System property a JMH fork reads: the server JVM's CPU list ({@code taskset -c} form). Unset
     * or empty: the server is not pinned.
     */
    public static final String SERVER_CPUS_PROPERTY = "multislot.bench.serverCpus";

    /** The split for {@code allowed} CPUs; {@code taskset} is the path of taskset, if installed. */
    static CpuPinning plan(List<Integer> allowed, Optional<Path> taskset) {
        String all = format(allowed);
        if (allowed.size() < 2) {
            return new CpuPinning(false, all, all, "one CPU allowed (" + all + "): nothing to split");
        }
        if (taskset.isEmpty()) {
            return new CpuPinning(false, all, all, "taskset is not installed");
        }
        int half = allowed.size() / 2;
        return new CpuPinning(true, format(allowed.subList(0, half)), format(allowed.subList(half, allowed.size())), "");
    }

    /**
     * Plans the split for this process's allowed CPUs and, if it pins, moves every thread of this
     * process to the client set ({@code taskset -a -p -c}); forks inherit it. Where pinning fails
     * the result says so and nothing is pinned.
     */
    public static CpuPinning pinThisProcess() {
        List<Integer> allowed = allowedCpus(Path.of("/proc/self/status"));
        CpuPinning plan = plan(allowed, taskset());
        if (!plan.pinned()) {
            return plan;
        }
        String self = Long.toString(ProcessHandle.current().pid());
        String failure = run(List.of("taskset", "-a", "-p", "-c", plan.clientCpus(), self));
        if (failure != null) {
            String all = format(allowed);
            return new CpuPinning(false, all, all, "taskset could not pin the client: " + failure);
        }
        List<Integer> now = allowedCpus(Path.of("/proc/self/status"));
        if (!format(now).equals(plan.clientCpus())) {
            String all = format(allowed);
            return new CpuPinning(false, format(now), all, "after taskset this process runs on " + format(now)
                    + ", not " + plan.clientCpus());
        }
        return plan;
    }

    /** The command prefix that starts a server on {@code cpus}, empty when {@code cpus} is blank. */
    static List<String> serverPrefix(String cpus) {
        return cpus == null || cpus.isBlank() ? List.of() : List.of("taskset", "-c", cpus);
    }

    /** The CPUs {@code Cpus_allowed_list} of a {@code /proc/<pid>/status} file names; [0] if unreadable. */
    static List<Integer> allowedCpus(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parse(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // not Linux, or /proc hidden: fall through
        }
        List<Integer> cpus = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            cpus.add(i);
        }
        return cpus;
    }

    /**
     * Parses a CPU list as the kernel and {@code taskset} write it ({@code 0-3,6,8-9}).
     *
     * @throws IllegalArgumentException naming the list if it is not one
     */
    static List<Integer> parse(String list) {
        TreeSet<Integer> cpus = new TreeSet<>();
        try {
            for (String part : list.split(",")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                if (from < 0 || to < from) {
                    throw new IllegalArgumentException("not a CPU range: '" + p + "' in '" + list + "'");
                }
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CPU list: '" + list + "'", e);
        }
        return List.copyOf(cpus);
    }

    /** The shortest {@code taskset} form of sorted, distinct CPUs: {@code [0,1,2,5]} is {@code 0-2,5}. */
    static String format(List<Integer> cpus) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < cpus.size()) {
            int j = i;
            while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(cpus.get(i));
            if (j > i) {
                b.append('-').append(cpus.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }

    private static Optional<Path> taskset() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "taskset");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs a short command; null if it exited 0, else what went wrong. */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not finish";
            }
            return p.exitValue() == 0 ? null : String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
