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
 *                 [--backend software|softhsm2|pkcs11] [--pkcs11-library PATH] [--token-label LABEL]
 *                 [--user NAME] [--pin-file FILE]
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
              --backend B       what keeps the keys: software (in memory, default), softhsm2 (a SoftHSM2
                                token per cluster, under DIR/softhsm2 with --directory, so keys persist),
                                or pkcs11 (one cluster on an existing token of --pkcs11-library)
              --pkcs11-library PATH  the PKCS#11 module (pkcs11; softhsm2 default /usr/lib/softhsm/libsofthsm2.so)
              --token-label LABEL    the token to serve (pkcs11)
              --user NAME       the crypto user (default crypto_user)
              --pin-file FILE   the user's password, which is the token's user PIN; else $MULTISLOT_PKCS11_PIN
                                (required for pkcs11; softhsm2 defaults to password1)
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
        char[] pin;
        try {
            pin = LaunchBackend.pin(options);
        } catch (BadInput e) {
            System.err.println(PROGRAM + ": " + e.getMessage());
            System.exit(EXIT_BAD_INPUT);
            return;
        }
        boolean softHsm2 = options.backend.equals("softhsm2");
        try {
            Path home = softHsm2 ? softHsm2Home(options.directory) : null;
            TokenBackend backend = LaunchBackend.backend(options, home);
            // A SoftHSM2 directory serves the clusters it made before (same ids, CA and tokens) first.
            List<String> earlier = softHsm2 && options.directory != null
                    ? LaunchBackend.earlierClusters(options.directory) : List.of();
            int count = Math.max(options.clusters, earlier.size());
            for (int i = 0; i < count; i++) {
                LocalClusterSpec.Builder spec = LocalClusterSpec.builder()
                        .hsmCount(options.hsms)
                        .port(options.port)
                        .requireClientCertificates(options.requireClientCertificates)
                        .token(backend);
                if (i < earlier.size()) {
                    spec.clusterId(earlier.get(i));
                }
                if (pin != null || !options.user.equals(LocalClusterSpec.DEFAULT_USERNAME)) {
                    spec.user(options.user, pin != null ? new String(pin) : LocalClusterSpec.DEFAULT_PASSWORD);
                }
                LocalClusterSpec built = spec.build();
                if (options.directory != null) {
                    // Fix the id first so that the directory can be named after it.
                    spec.clusterId(built.clusterId()).directory(options.directory.resolve(built.clusterId()))
                            .persistent(softHsm2);
                    built = spec.build();
                }
                LocalCluster cluster = LocalCluster.start(built);
                synchronized (clusters) {
                    clusters.add(cluster);
                }
            }
            if (softHsm2 && options.directory != null) {
                LaunchBackend.saveClusters(options.directory, clusters);
            }
            controlPlane.set(LocalControlPlane.start());
            clusters.forEach(c -> controlPlane.get().host(c, options.region));
        } catch (RuntimeException e) {
            System.err.println(PROGRAM + ": cannot start the clusters: " + e.getMessage());
            System.exit(EXIT_FAILED);
            return;
        }
        List<Map<String, Object>> described = new ArrayList<>();
        clusters.forEach(c -> {
            Map<String, Object> fields = LaunchOutput.describe(c);
            LaunchBackend.describe(c, fields);
            described.add(fields);
        });
        PrintStream out = System.out;
        URI endpoint = controlPlane.get().endpoint();
        if (options.json) {
            out.println(LaunchOutput.json(described, endpoint));
        } else {
            out.print(LaunchOutput.text(described));
            out.println("Control plane (CloudHSM v2 API, region " + options.region + "): " + endpoint);
            out.println("Crypto user: " + options.user + (pin == null ? " (default password, see docs/hsm-local.md)."
                    : " (the password is the token's user PIN).") + " Press Ctrl-C to stop.");
        }
        out.flush();
        awaitShutdown();
    }

    /** SoftHSM2's home: DIR/softhsm2 to keep the tokens, else a temporary one that goes at exit. */
    private static Path softHsm2Home(Path directory) {
        if (directory != null) {
            return directory.resolve("softhsm2");
        }
        try {
            Path tmp = java.nio.file.Files.createTempDirectory("multislot-softhsm2-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(tmp), "multislot-softhsm2-cleanup"));
            return tmp;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a directory for the SoftHSM2 tokens: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // best effort at exit
        }
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
        boolean clustersGiven;
        String backend = "software";
        Path pkcs11Library;
        String tokenLabel;
        String user = LocalClusterSpec.DEFAULT_USERNAME;
        Path pinFile;

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
                        o.clustersGiven = true;
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
                    case "--backend" -> o.backend = value != null ? value
                            : next(args, ++i, name, "software, softhsm2 or pkcs11");
                    case "--pkcs11-library" -> o.pkcs11Library = path(name,
                            value != null ? value : next(args, ++i, name, "the path of a PKCS#11 module (.so)"));
                    case "--token-label" -> o.tokenLabel = value != null ? value : next(args, ++i, name, "a token label");
                    case "--user" -> o.user = value != null ? value : next(args, ++i, name, "a crypto user name");
                    case "--pin-file" -> o.pinFile = path(name,
                            value != null ? value : next(args, ++i, name, "a file holding the user PIN"));
                    case "-h", "--help" -> o.help = true;
                    default -> throw new BadInput("unknown option '" + a + "'; expected --clusters N, --hsms M, --port P,"
                            + " --directory DIR, --region R, --require-client-certificates, --json, --backend B,"
                            + " --pkcs11-library PATH, --token-label LABEL, --user NAME, --pin-file FILE or --help");
                }
            }
            LaunchBackend.check(o);
            return o;
        }

        private static Path path(String name, String value) throws BadInput {
            try {
                return Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw new BadInput(name + " must be a valid path, was '" + value + "'");
            }
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
