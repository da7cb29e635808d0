package dev.multislot.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.Credentials;
import dev.multislot.api.KeyType;
import dev.multislot.api.Slot;
import dev.multislot.api.SlotSession;
import dev.multislot.api.errors.AuthenticationFailedException;
import dev.multislot.api.errors.NotLoggedInException;
import dev.multislot.api.errors.UserAlreadyLoggedInException;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.LocalHsm;
import dev.multislot.testsupport.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Logging in: one user per slot, a wrong password costs one LOGIN, logout ends every session. */
class AuthenticationTest {

    private static LocalCluster cluster;
    private static ReactorHsmConnector connector;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(3)
                .user("crypto_user", "password1").user("other_user", "password2").build());
        connector = Clusters.connect(Clusters.testOptions().build(), Clusters.config(cluster));
    }

    @AfterAll
    static void stop() {
        connector.close(Duration.ofSeconds(1)).block(Duration.ofSeconds(10));
        cluster.close();
    }

    private static long served() {
        return cluster.hsms().stream().map(LocalHsm::stats).mapToLong(s -> s.requestsServed()).sum();
    }

    @Test
    void wrongPasswordFailsWithOneLoginAndNoRetryStorm() {
        Slot slot = connector.slot(Clusters.id(cluster)).orElseThrow();
        // Every connection has finished its HELLO, so the HSMs answer nothing but the LOGIN below.
        Await.until("all connections to open", Duration.ofSeconds(10), () -> Internals.readyConnections(slot) == 6);
        long before = served();
        StepVerifier.create(slot.login(Credentials.of("crypto_user", "wrong-password".toCharArray())))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(AuthenticationFailedException.class)
                        .hasMessageContaining("crypto_user")
                        .hasMessageNotContaining("wrong-password"))
                .verify(Duration.ofSeconds(5));
        assertThat(served() - before).as("LOGIN requests the HSMs answered").isEqualTo(1);

        // The slot is free again: the right password works, and a second login returns the same login.
        SlotSession session = slot.login(Clusters.USER).block(Duration.ofSeconds(5));
        try {
            SlotSession again = slot.login(Credentials.fromPin("crypto_user:password1".toCharArray())).block();
            assertThat(again.username()).isEqualTo("crypto_user");
            StepVerifier.create(slot.login(Credentials.of("other_user", "password2".toCharArray())))
                    .expectError(UserAlreadyLoggedInException.class).verify(Duration.ofSeconds(5));
            assertThat(again.generateKey(KeyType.AES_256, "after-relogin").block()).isNotNull();
        } finally {
            session.logout().block(Duration.ofSeconds(5));
        }
        StepVerifier.create(session.random(8)).expectError(NotLoggedInException.class).verify(Duration.ofSeconds(5));

        // After logout another user may log in, on every connection.
        SlotSession other = slot.login(Credentials.of("other_user", "password2".toCharArray())).block(Duration.ofSeconds(5));
        for (int i = 0; i < 20; i++) {
            assertThat(other.random(4).block(Duration.ofSeconds(5))).hasSize(4);
        }
        other.logout().block(Duration.ofSeconds(5));
    }
}
