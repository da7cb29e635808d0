package dev.multislot.local;

import dev.multislot.local.controlplane.LocalControlPlane;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;

import dev.multislot.local.internal.launch.LaunchOutput;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/multislot local}: starts local clusters, prints where they are, and runs until it is
 * stopped (SIGTERM or Ctrl-C), then stops every HSM and deletes the temporary files.
 *
 * <pre>
 * multislot local [--clusters N] [--hsms M] [--port P] [--directory DIR]
 *                 [--require-client-certificates] [--json]
 * </pre>
 *
 * <p>With {@code --json}, stdout gets exactly one line once every HSM listens:
 * {@code {"clusters":[{"cluster_id":...,"ca_file":...,"hsms":[{"address":...,"port":...}]}]}}.
 * Bad arguments: one line on stderr naming the option, the value and what was expected; exit
 * code 2. A failure to start: one line on stderr; exit code 1.
 */
public final class LocalMain {

    static final String PROGRAM = "multislot local";
    static final int MAX_CLUSTERS = 16;
    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_FAILED = 1;

    static final String USAGE = """
            Usage: multislot local [--clusters N] [--hsms M] [--port P] [--directory DIR]
                                   [--region R] [--require-client-certificates] [--json]
              --clusters N      clusters to start, 1..16 (default 1)
              --hsms M          HSMs per cluster, 1..32 (default 3)
              --port P          port of every HSM, 0 = ephemeral (default 2223)
              --directory DIR   write each cluster's CA and certificates to DIR/<cluster id>
                                (default: temporary directories, deleted on exit)
              --region R        region the control plane hosts the clusters in (default us-east-1)
              --require-client-certificates
                                mutual TLS: clients need a certificate from the cluster CA
              --json            print one JSON line instead of text
            Also serves a CloudHSM v2 control plane (DescribeClusters) on 127.0.0.1 that knows the clusters:
            point configure-pkcs11 add-cluster --endpoint at it.
            Runs until SIGTERM or Ctrl-C. Crypto user: crypto_user, password: password1.""";

    private LocalMain() {
    }

    public static void main(String[] args) {
        // Started on its own (not through bin/multislot, which has set this up already): info by default.
        dev.multislot.local.internal.launch.LaunchLogging.configure(System.getenv(), "info", System.err);
        Options options;
        try {
            options = Options.parse(args);
        } catch (BadInput e) {
            System.err.println(PROGRAM + ": " + e.getMessage());
            System.exit(EXIT_BAD_INPUT);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        List<LocalCluster> clusters = new ArrayList<>();
        AtomicReference<LocalControlPlane> controlPlane = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LocalControlPlane cp = controlPlane.getAndSet(null);
            if (cp != null) {
                cp.close();
            }
            closeAll(clusters);
        }, "multislot-local-shutdown"));
        try {
            for (int i = 0; i < options.clusters; i++) {
                LocalClusterSpec.Builder spec = LocalClusterSpec.builder()
                        .hsmCount(options.hsms)
                        .port(options.port)
                        .requireClientCertificates(options.requireClientCertificates);
                LocalClusterSpec built = spec.build();
                if (options.directory != null) {
                    // Fix the id first so that the directory can be named after it.
                    spec.clusterId(built.clusterId()).directory(options.directory.resolve(built.clusterId()));
                    built = spec.build();
                }
                LocalCluster cluster = LocalCluster.start(built);
                synchronized (clusters) {
                    clusters.add(cluster);
                }
            }
            controlPlane.set(LocalControlPlane.start());
            clusters.forEach(c -> controlPlane.get().host(c, options.region));
        } catch (RuntimeException e) {
            System.err.println(PROGRAM + ": cannot start the clusters: " + e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        List<Map<String, Object>> described = new ArrayList<>();
        clusters.forEach(c -> described.add(LaunchOutput.describe(c)));
        PrintStream out = System.out;
        URI endpoint = controlPlane.get().endpoint();
        if (options.json) {
            out.println(LaunchOutput.json(described, endpoint));
        } else {
            out.print(LaunchOutput.text(described));
            out.println("Control plane (CloudHSM v2 API, region " + options.region + "): " + endpoint);
            out.println("Crypto user: " + LocalClusterSpec.DEFAULT_USERNAME + " (default password, see docs/hsm-local.md)."
                    + " Press Ctrl-C to stop.");
        }
        out.flush();
        awaitShutdown();
    }

    private static void closeAll(List<LocalCluster> clusters) {
        synchronized (clusters) {
            for (LocalCluster c : clusters) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    System.err.println(PROGRAM + ": error while stopping " + c.clusterId() + ": " + e.getMessage());
                }
            }
            clusters.clear();
        }
    }

    /** Parks the main thread; the shutdown hook does the work and the JVM exits after it. */
    private static void awaitShutdown() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refused command-line input; the message names the option, the value and what was expected. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    /** The parsed command line. */
    static final class Options {
        int clusters = 1;
        int hsms = LocalClusterSpec.DEFAULT_HSM_COUNT;
        int port = LocalClusterSpec.DEFAULT_PORT;
        Path directory;
        String region = "us-east-1";
        boolean requireClientCertificates;
        boolean json;
        boolean help;

        static Options parse(String[] args) throws BadInput {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                switch (name) {
                    case "--clusters" -> {
                        value = value != null ? value : next(args, ++i, name, "a whole number from 1 to " + MAX_CLUSTERS);
                        o.clusters = number(name, value, 1, MAX_CLUSTERS);
                    }
                    case "--hsms" -> {
                        value = value != null ? value : next(args, ++i, name,
                                "a whole number from 1 to " + LocalClusterSpec.MAX_HSM_COUNT);
                        o.hsms = number(name, value, 1, LocalClusterSpec.MAX_HSM_COUNT);
                    }
                    case "--port" -> {
                        value = value != null ? value : next(args, ++i, name, "a port from 0 to 65535");
                        o.port = number(name, value, 0, 65535);
                    }
                    case "--directory" -> {
                        value = value != null ? value : next(args, ++i, name, "a directory path");
                        if (value.isBlank()) {
                            throw new BadInput("--directory must name a directory, was empty");
                        }
                        try {
                            o.directory = Path.of(value);
                        } catch (java.nio.file.InvalidPathException e) {
                            throw new BadInput("--directory must be a valid path, was '" + value + "'");
                        }
                    }
                    case "--region" -> {
                        value = value != null ? value : next(args, ++i, name, "a region name such as us-east-1");
                        if (!value.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
                            throw new BadInput("--region must be a region name such as us-east-1, was '" + value + "'");
                        }
                        o.region = value;
                    }
                    case "--require-client-certificates" -> o.requireClientCertificates = flag(name, value);
                    case "--json" -> o.json = flag(name, value);
                    case "-h", "--help" -> o.help = true;
                    default -> throw new BadInput("unknown option '" + a + "'; expected --clusters N, --hsms M, --port P,"
                            + " --directory DIR, --region R, --require-client-certificates, --json or --help");
                }
            }
            return o;
        }

        private static String next(String[] args, int i, String name, String expected) throws BadInput {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new BadInput(name + " needs a value: " + expected);
            }
            return args[i];
        }

        private static boolean flag(String name, String value) throws BadInput {
            if (value != null) {
                throw new BadInput(name + " takes no value, was given '" + value + "'");
            }
            return true;
        }

        private static int number(String name, String value, int min, int max) throws BadInput {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new BadInput(name + " must be a whole number from " + min + " to " + max + ", was '" + value + "'");
            }
            if (n < min || n > max) {
                throw new BadInput(name + " must be a whole number from " + min + " to " + max + ", was " + n);
            }
            return n;
        }
    }
}
