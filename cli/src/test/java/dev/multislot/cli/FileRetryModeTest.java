package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.ClusterId;
import dev.multislot.api.Credentials;
import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.HsmThrottledException;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.api.spi.ClusterOptions;
import dev.multislot.api.spi.ServerConfig;
import dev.multislot.config.ConfigStore;
import dev.multislot.config.FileClusterConfigSource;
import dev.multislot.connector.HsmConnectorOptions;
import dev.multislot.connector.ReactorHsmConnector;
import dev.multislot.connector.RetryMode;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * {@code options.default_retry_mode} in the file decides a running slot's retry mode on a busy HSM,
 * and a hot reload of the file changes it: off fails at the first busy answer, standard retries
 * up to maxAttempts, and without the field the connector's own option decides.
 */
class FileRetryModeTest {

    private static final Credentials USER = Credentials.of(LocalClusterSpec.DEFAULT_USERNAME,
            LocalClusterSpec.DEFAULT_PASSWORD.toCharArray());
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static LocalCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static ClusterConfig config(Optional<String> retryMode) {
        return new ClusterConfig(ClusterId.of(cluster.clusterId()), Optional.empty(), cluster.caFile(),
                cluster.hsms().stream().map(h -> new ServerConfig(h.host(), h.port(), true)).toList(),
                Optional.empty(), Optional.empty(), Optional.empty(),
                new ClusterOptions(true, false, retryMode));
    }

    /** One sign against the busy HSM; returns how many busy answers it took. */
    private static long busyAnswersOfOneSign(SlotSession session, KeyRef key, String expectedMessage) {
        long before = cluster.hsm(0).stats().busyAnswers();
        cluster.hsm(0).faults().busy(true);
        try {
            StepVerifier.create(session.sign(key, SignatureAlgorithm.HMAC_SHA256, new byte[] {1}))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HsmThrottledException.class)
                            .hasMessageContaining(expectedMessage))
                    .verify(AWAIT);
        } finally {
            cluster.hsm(0).faults().busy(false);
        }
        return cluster.hsm(0).stats().busyAnswers() - before;
    }

    @Test
    void theFilesRetryModeGovernsARunningSlotAndFollowsReloads() throws Exception {
        Path file = dir.resolve("cloudhsm-pkcs11.cfg");
        ConfigStore store = ConfigStore.at(file);
        store.update(f -> f.withCluster(config(Optional.of("off"))));
        HsmConnectorOptions options = HsmConnectorOptions.builder()
                .retryMode(RetryMode.STANDARD)
                .maxAttempts(4)
                .retryBackoff(Duration.ofMillis(1))
                .retryBackoffMax(Duration.ofMillis(10))
                .breaker(b -> b.slidingWindowSize(100_000).minimumNumberOfCalls(100_000))
                .build();
        ClusterId id = ClusterId.of(cluster.clusterId());
        try (FileClusterConfigSource source = FileClusterConfigSource.watch(file);
             ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source).build()) {
            connector.connect().block(AWAIT);
            SlotSession session = connector.requireSlot(id).flatMap(s -> s.login(USER)).block(AWAIT);
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "retry-mode").block(AWAIT);

            assertThat(busyAnswersOfOneSign(session, key, "HSM_BUSY")).as("off in the file: one attempt").isEqualTo(1);

            CompletableFuture<SlotEvent> changed = connector.events()
                    .filter(e -> e instanceof SlotEvent.SlotChanged c && c.clusterId().equals(id)).next().toFuture();
            store.update(f -> f.withCluster(config(Optional.of("standard"))));
            assertThat(changed).succeedsWithin(AWAIT);
            assertThat(busyAnswersOfOneSign(session, key, "4 attempts")).as("standard after the reload").isEqualTo(4);

            changed = connector.events()
                    .filter(e -> e instanceof SlotEvent.SlotChanged c && c.clusterId().equals(id)).next().toFuture();
            store.update(f -> f.withCluster(config(Optional.of("off"))));
            assertThat(changed).succeedsWithin(AWAIT);
            assertThat(busyAnswersOfOneSign(session, key, "HSM_BUSY")).as("off again").isEqualTo(1);
        }
    }

    @Test
    void withoutTheFieldTheConnectorsRetryModeDecides() throws Exception {
        Path file = dir.resolve("no-mode.cfg");
        ConfigStore.at(file).update(f -> f.withCluster(config(Optional.empty())));
        HsmConnectorOptions options = HsmConnectorOptions.builder().retryMode(RetryMode.OFF).build();
        try (FileClusterConfigSource source = FileClusterConfigSource.watch(file);
             ReactorHsmConnector connector = ReactorHsmConnector.builder().options(options).configSource(source).build()) {
            connector.connect().block(AWAIT);
            SlotSession session = connector.requireSlot(ClusterId.of(cluster.clusterId())).flatMap(s -> s.login(USER)).block(AWAIT);
            KeyRef key = session.generateKey(KeyType.HMAC_SHA256, "default-mode").block(AWAIT);
            assertThat(busyAnswersOfOneSign(session, key, "HSM_BUSY")).isEqualTo(1);
        }
    }
}
