package dev.multislot.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.spi.ClusterConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes editing one file: concurrent writers lose nothing, a killed writer never leaves a partial file. */
class ConfigStoreProcessesTest {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath,
                // Small, quick JVMs: 20 of them start at once on a 2-core machine.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-Xss512k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ConfigWriterMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    @Test
    void twentyProcessesAddingAClusterEachLoseNone() throws Exception {
        Path file = dir.resolve("etc/cloudhsm-pkcs11.cfg");
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "cluster-p" + i).toList();
        List<Process> writers = new ArrayList<>();
        for (String id : ids) {
            writers.add(start("add", file.toString(), id));
        }
        for (int i = 0; i < writers.size(); i++) {
            Process p = writers.get(i);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("writer %s finished", ids.get(i)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("writer %s: %s", ids.get(i), output).isZero();
        }

        ConfigFile result = ConfigCodec.defaults().read(file);
        assertThat(result.clusters()).extracting(c -> c.clusterId().value()).containsExactlyInAnyOrderElementsOf(ids);
        for (String id : ids) {
            assertThat(result.cluster(ClusterId.of(id))).contains(ConfigWriterMain.cluster(id, 3));
        }
    }

    @Test
    void aWriterKilledAtAnyMomentLeavesAWholeFile() throws Exception {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        Random random = new Random(42);
        long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        int rounds = 0;
        int leftTemporaryFiles = 0;
        int lastVersion = -1;
        Process next = start("churn", file.toString());
        while (rounds < 15 && System.nanoTime() < deadline) {
            Process writer = next;
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("ready");
            // The next writer starts its JVM while this one runs.
            next = start("churn", file.toString());
            writer.getOutputStream().write('\n');
            writer.getOutputStream().flush();
            assertThat(out.readLine()).as("the writer wrote a first version").startsWith("wrote ");
            // Let it write for a random while (the kill point is what is random here), then SIGKILL.
            Thread.sleep(random.nextInt(300));
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            rounds++;

            ConfigFile after = ConfigCodec.defaults().read(file);
            assertThat(after.clusters()).hasSize(1);
            ClusterConfig cluster = after.clusters().get(0);
            int version = Integer.parseInt(cluster.clusterId().value().substring("cluster-v".length()));
            assertThat(cluster).as("round %d: a whole version %d", rounds, version).isEqualTo(ConfigWriterMain.version(version));
            lastVersion = version;
            try (Stream<Path> files = Files.list(dir)) {
                leftTemporaryFiles += (int) files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
            }
        }
        next.destroyForcibly();
        next.waitFor(30, TimeUnit.SECONDS);
        assertThat(rounds).as("rounds done in the time allowed").isGreaterThanOrEqualTo(5);
        assertThat(lastVersion).isGreaterThanOrEqualTo(0);

        // The next edit clears what killed writers left behind.
        ConfigStore.at(file).update(f -> f.withCluster(ConfigWriterMain.cluster("cluster-final", 1)));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("cloudhsm-pkcs11.cfg", "cloudhsm-pkcs11.cfg.lock");
        }
        System.out.printf("%d kills, %d of them left a temporary file (killed mid-write)%n", rounds, leftTemporaryFiles);
    }
}
