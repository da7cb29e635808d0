package dev.multislot.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.ConnectionLimits;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.spring.internal.LoginAtStart;
import dev.multislot.testsupport.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The crypto user logs in to every slot when the application starts and to each slot a config
 * change adds, with no application code; HSMs that close connections which do not log in (hsm-local
 * after its login timeout, here one second) then keep them.
 */
class LoginAtStartTest {

    private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private static LocalCluster strictCluster() {
        ConnectionLimits d = ConnectionLimits.DEFAULTS;
        return LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .connectionLimits(new ConnectionLimits(LOGIN_TIMEOUT, d.idleTimeout(), d.maxConnectionsPerHsm(),
                        d.maxPendingAnswerBytes()))
                .build());
    }

    private ApplicationContextRunner runner(Path config) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(MultislotMetricsAutoConfiguration.class, MultislotAutoConfiguration.class))
                .withUserConfiguration(Meters.class)
                .withPropertyValues("multislot.config-file=" + config, "multislot.user.name=" + LocalClusters.USER,
                        "multislot.user.password=" + LocalClusters.PASSWORD, "multislot.event-loop-threads=1");
    }

    private static double logins(MeterRegistry meters, LocalCluster cluster) {
        Timer t = meters.find("multislot.requests").tag("slot", cluster.clusterId()).tag("operation", "login")
                .tag("outcome", "success").timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void everySlotAndEverySlotAddedLaterIsLoggedInWithNoApplicationCode() {
        try (LocalCluster a = strictCluster(); LocalCluster b = strictCluster()) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(a));
            runner(config).run(context -> {
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                Await.until("the login to the slot configured at start", Duration.ofSeconds(10),
                        () -> logins(meters, a) == 1);

                LocalClusters.writeConfig(config, List.of(a, b));
                Await.until("the login to the slot the config change added", Duration.ofSeconds(20),
                        () -> logins(meters, b) == 1);

                // Nothing closes for want of a login: watched for twice the HSMs' login timeout.
                assertThat(Await.holdsWithin(LOGIN_TIMEOUT.multipliedBy(2),
                        () -> a.hsm(0).stats().connectionsTimedOut() + b.hsm(0).stats().connectionsTimedOut() > 0))
                        .as("a connection closed for not logging in").isFalse();
                assertThat(logins(meters, a)).as("one login per slot").isEqualTo(1);
            });
        }
    }

    @Test
    void turnedOffNoSlotLogsInUntilTheApplicationAsksAndTheHsmClosesTheIdleConnection() {
        try (LocalCluster a = strictCluster()) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(a));
            runner(config).withPropertyValues("multislot.user.login-at-start=false").run(context -> {
                assertThat(context).doesNotHaveBean(LoginAtStart.class);
                Await.until("the HSM to close the connection that never logged in", Duration.ofSeconds(10),
                        () -> a.hsm(0).stats().connectionsTimedOut() > 0);
                assertThat(logins(context.getBean(MeterRegistry.class), a)).isZero();
            });
        }
    }

    @Test
    void aLoginThatFailsAtStartDoesNotStopTheApplication() {
        try (LocalCluster a = LocalClusters.start(1)) {
            Path config = LocalClusters.writeConfig(dir.resolve("c.cfg"), List.of(a));
            runner(config).withPropertyValues("multislot.user.password=wrong-password").run(context -> {
                assertThat(context).hasNotFailed();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                Await.until("the refused login", Duration.ofSeconds(10),
                        () -> meters.find("multislot.requests").tag("operation", "login").tag("outcome", "authentication")
                                .timer() != null);
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
