package dev.multislot.bench;

import dev.multislot.bench.internal.ServerInfo;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import dev.multislot.local.TokenBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The HSM side of a benchmark, in its own JVM: starts {@code --clusters} {@link LocalCluster}s
 * of {@code --hsms} HSMs each (TLS on loopback, ephemeral ports, the default crypto user), prints
 * one line {@value #READY_PREFIX}{@code <json>} describing them ({@link ServerInfo}) and serves
 * until its standard input closes (the benchmark that started it ended or died) or it is
 * terminated.
 *
 * <pre>
 * java -cp ... dev.multislot.bench.BenchServer --clusters 4 --hsms 3
 * </pre>
 */
public final class BenchServer {

    /** What precedes the JSON on the line the benchmark waits for. */
    public static final String READY_PREFIX = "MULTISLOT-BENCH-SERVER ";
    /** The environment variable that chooses the token backend (docs/pkcs11.md). */
    public static final String BACKEND_ENV = "MULTISLOT_BENCH_BACKEND";

    private BenchServer() {
    }

    public static void main(String[] args) throws IOException {
        dev.multislot.local.internal.launch.LaunchLogging.configure(System.getenv(), "info", System.err);
        int clusters = 1;
        int hsms = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--clusters") || a.equals("--hsms")) && i + 1 < args.length) {
                int v = parseCount(a, args[++i]);
                if (a.equals("--clusters")) {
                    clusters = v;
                } else {
                    hsms = v;
                }
            } else {
                System.err.println("usage: BenchServer [--clusters N] [--hsms M]; unexpected argument '" + a + "'");
                System.exit(2);
            }
        }
        TokenBackend backend = backend();
        List<LocalCluster> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started), "bench-server-shutdown"));
        List<ServerInfo.Cluster> info = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(hsms).port(0).token(backend).build());
            synchronized (started) {
                started.add(cluster);
            }
            List<ServerInfo.Hsm> hs = new ArrayList<>();
            for (LocalHsm h : cluster.hsms()) {
                hs.add(new ServerInfo.Hsm(h.hsmId(), h.host(), h.port()));
            }
            info.add(new ServerInfo.Cluster(cluster.clusterId(), cluster.caFile(), hs));
        }
        System.out.println(READY_PREFIX + new ServerInfo(info).toJson());
        System.out.flush();
        // The parent holds our stdin: end of input means it is gone, so we must go too.
        InputStream in = System.in;
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            // ignore what it writes; only the end matters
        }
        closeAll(started);
        System.exit(0);
    }

    /**
     * What keeps the HSMs' keys: {@value #BACKEND_ENV} = {@code softhsm2} (set by {@code bin/bench
     * --backend softhsm2}) gives each cluster a SoftHSM2 token in a temporary home; anything else,
     * or nothing, the software token.
     */
    private static TokenBackend backend() throws IOException {
        String name = System.getenv(BACKEND_ENV);
        if (name == null || name.isEmpty() || name.equals("software")) {
            return TokenBackend.software();
        }
        if (!name.equals("softhsm2")) {
            System.err.println(BACKEND_ENV + " must be software or softhsm2, was '" + name + "'");
            System.exit(2);
        }
        Path home = Files.createTempDirectory("multislot-bench-softhsm2-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(home), "bench-softhsm2-cleanup"));
        return TokenBackend.softHsm2(home);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort at exit
        }
    }

    private static int parseCount(String option, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v >= 1 && v <= 32) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.err.println(option + " must be a number from 1 to 32, was '" + value + "'");
        System.exit(2);
        return 0;
    }

    private static void closeAll(List<LocalCluster> clusters) {
        synchronized (clusters) {
            for (LocalCluster c : clusters) {
                c.close();
            }
            clusters.clear();
        }
    }
}
