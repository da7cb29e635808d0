package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.Credentials;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotEvent;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.ConnectorClosedException;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * A login is part of the slot's owned work: a caller that goes away before any HSM has answered
 * takes the attempt with it, and a connector that closes ends it with its own error.
 *
 * <p>The HSM is stalled, so the LOGIN is never answered; the request and control timeouts are
 * far longer than the waits below, so only a cancellation (or the close) can end the attempt in
 * time.
 */
class LoginCancellationTest {

    private static final Credentials OTHER = Credentials.of("other_user", "password2".toCharArray());

    private LocalCluster cluster;
    private ReactorHsmConnector connector;
    private Slot slot;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1)
                .user(LocalClusterSpec.DEFAULT_USERNAME, LocalClusterSpec.DEFAULT_PASSWORD)
                .user("other_user", "password2").build());
        connector = Clusters.connect(Clusters.testOptions()
                // One connection: the HSM is up again only once it has reconnected. With two, dropping them
                // closes one after the other, and the HSM can be seen up on the second while it closes.
                .connectionsPerHsm(1)
                .requestTimeout(Duration.ofSeconds(60))
                .attemptTimeout(Duration.ofSeconds(60))
                .connectTimeout(Duration.ofSeconds(30))
                .build(), Clusters.config(cluster));
        slot = connector.slot(Clusters.id(cluster)).orElseThrow();
        Await.until("the connections to open", Duration.ofSeconds(10), () -> Internals.readyConnections(slot) > 0);
    }

    @AfterEach
    void stop() {
        connector.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        cluster.close();
    }

    private void awaitLoginBegun() {
        Await.until("the login to begin", Duration.ofSeconds(10), () -> Internals.login(slot).isLoggedIn());
    }

    @Test
    void theLastCallerCancellingALoginNoHsmHasAnsweredLogsTheSlotOutAgain() throws Exception {
        LocalHsm hsm = cluster.hsm(0);
        hsm.faults().stall(true);
        Disposable login = slot.login(Clusters.USER).subscribe();
        awaitLoginBegun();
        int attempted = Internals.login(slot).generation();

        login.dispose();
        Await.until("the cancelled login to be withdrawn", Duration.ofSeconds(10),
                () -> !Internals.login(slot).isLoggedIn());
        assertThat(Internals.login(slot).generation()).isGreaterThan(attempted);

        // The slot is free: another user logs in once the HSM answers again.
        // Its connections still hold the stalled LOGIN: the HSM drops them, and the slot reconnects.
        CompletableFuture<SlotEvent> back = connector.events().filter(e -> e instanceof SlotEvent.HsmUp).next()
                .toFuture();
        hsm.faults().stall(false);
        hsm.faults().dropConnections();
        back.get(10, TimeUnit.SECONDS);
        SlotSession other = slot.login(OTHER).block(Duration.ofSeconds(10));
        assertThat(other.username()).isEqualTo("other_user");
        assertThat(other.random(8).block(Duration.ofSeconds(10))).hasSize(8);
        other.logout().block(Duration.ofSeconds(10));
    }

    @Test
    void closingTheConnectorEndsALoginInProgressWithItsOwnError() {
        cluster.hsm(0).faults().stall(true);
        StepVerifier.create(slot.login(Clusters.USER))
                .then(() -> {
                    awaitLoginBegun();
                    connector.close(Duration.ofMillis(100)).subscribe();
                })
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConnectorClosedException.class)
                        .hasMessageNotContaining(LocalClusterSpec.DEFAULT_PASSWORD))
                .verify(Duration.ofSeconds(10));
        assertThat(Internals.login(slot).isLoggedIn()).isFalse();
    }
}
