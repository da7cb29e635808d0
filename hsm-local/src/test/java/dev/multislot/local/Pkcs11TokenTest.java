package dev.multislot.local;

import static dev.multislot.local.TestHsmClient.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.WireKeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a PKCS#11 token has: keys that outlive the server with the same handles, one token
 * served again through the {@code pkcs11} backend, the login at start, clear errors for a missing
 * module or token, and many requests at once over the session pool.
 */
class Pkcs11TokenTest {

    @TempDir
    static Path dir;

    @Test
    void keysSurviveARestartWithTheSameHandleLabelAndPublicKey() throws Exception {
        String id = "cluster-persist" + System.nanoTime() % 100000;
        Response.KeyInfo made;
        byte[] publicKey;
        try (LocalCluster first = softHsm2Cluster(id)) {
            try (TestHsmClient c = TestHsmClient.loggedIn(first, 0)) {
                made = ok(c.call(new Request.GenerateKey(WireKeyType.EC_P384, "kept")), Response.KeyInfo.class);
                publicKey = ok(c.call(new Request.GetPublicKey(made.handle())), Response.Bytes.class).value();
            }
        }
        try (LocalCluster again = softHsm2Cluster(id); TestHsmClient c = TestHsmClient.loggedIn(again, 0)) {
            assertThat(ok(c.call(new Request.FindKeys(Optional.of("kept"))), Response.KeyList.class).keys())
                    .containsExactly(made);
            assertThat(ok(c.call(new Request.GetPublicKey(made.handle())), Response.Bytes.class).value())
                    .isEqualTo(publicKey);
            byte[] data = "after the restart".getBytes(StandardCharsets.UTF_8);
            byte[] sig = ok(c.call(new Request.Sign(made.handle(), Mechanism.ECDSA_SHA384, data)), Response.Bytes.class)
                    .value();
            assertThat(verifies("SHA384withECDSA", publicKey, data, sig)).isTrue();
            assertThat(again.keyCount()).isEqualTo(1);
        }
    }

    @Test
    void anExistingTokenIsServedThroughThePkcs11Backend() {
        String id = "cluster-existing" + System.nanoTime() % 100000;
        Response.KeyInfo made;
        try (LocalCluster soft = softHsm2Cluster(id); TestHsmClient c = TestHsmClient.loggedIn(soft, 0)) {
            made = ok(c.call(new Request.GenerateKey(WireKeyType.AES_256, "on-the-token")), Response.KeyInfo.class);
        }
        try (LocalCluster served = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .token(TokenBackend.pkcs11(SoftHsm2Home.LIBRARY, id)).build());
                TestHsmClient c = TestHsmClient.loggedIn(served, 0)) {
            assertThat(served.tokenLabel()).contains(id);
            assertThat(served.tokenBackend().kind()).isEqualTo(TokenBackend.Kind.PKCS11);
            assertThat(c.call(new Request.GetKey(made.handle()))).isEqualTo(made);
            Response.Encrypted e = ok(c.call(new Request.Encrypt(made.handle(), Mechanism.AES_GCM, new byte[] {1, 2},
                    new byte[0])), Response.Encrypted.class);
            assertThat(ok(c.call(new Request.Decrypt(made.handle(), Mechanism.AES_GCM, e.iv(), e.ciphertext(),
                    new byte[0])), Response.Bytes.class).value()).containsExactly(1, 2);
        }
    }

    @Test
    void aWrongPinFailsAtStartNamingTheCkrCodeButNotThePin() {
        String id = "cluster-pin" + System.nanoTime() % 100000;
        softHsm2Cluster(id).close();
        assertThatThrownBy(() -> LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .token(TokenBackend.pkcs11(SoftHsm2Home.LIBRARY, id)).user("crypto_user", "not-the-pin-42").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused the user PIN").hasMessageContaining("CKR_PIN_INCORRECT")
                .message().doesNotContain("not-the-pin-42");
    }

    @Test
    void aMissingModuleOrTokenIsOneClearError() {
        SoftHsm2Home.backend();
        assertThatThrownBy(() -> LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .token(TokenBackend.pkcs11(Path.of("/nonexistent/libvendor.so"), "x")).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PKCS#11 library /nonexistent/libvendor.so does not exist");
        assertThatThrownBy(() -> LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .token(TokenBackend.pkcs11(SoftHsm2Home.LIBRARY, "no-such-token")).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no token labelled 'no-such-token'");
    }

    @Test
    void manyRequestsAtOnceShareTheSessionPool() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).workerThreads(4)
                .token(SoftHsm2Home.backend()).build()); TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            long ec = ok(c.call(new Request.GenerateKey(WireKeyType.EC_P256, "pool")), Response.KeyInfo.class).handle();
            byte[] pub = ok(c.call(new Request.GetPublicKey(ec)), Response.Bytes.class).value();
            List<Request> requests = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                requests.add(i % 3 == 0 ? new Request.Random(16)
                        : new Request.Sign(ec, Mechanism.ECDSA_SHA256, ("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            List<CompletableFuture<ResponseFrame>> answers = c.sendAll(requests);
            for (int i = 0; i < requests.size(); i++) {
                Response r = TestHsmClient.await(answers.get(i)).response();
                if (requests.get(i) instanceof Request.Sign s) {
                    assertThat(verifies("SHA256withECDSA", pub, s.data(), ok(r, Response.Bytes.class).value()))
                            .as("signature %d", i).isTrue();
                } else {
                    assertThat(ok(r, Response.Bytes.class).value()).hasSize(16);
                }
            }
        }
    }

    private static LocalCluster softHsm2Cluster(String clusterId) {
        return LocalCluster.start(LocalClusterSpec.builder().clusterId(clusterId).hsmCount(1).port(0)
                .token(SoftHsm2Home.backend()).build());
    }

    private static boolean verifies(String algorithm, byte[] spki, byte[] data, byte[] sig) throws Exception {
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance(algorithm);
        s.initVerify(key);
        s.update(data);
        return s.verify(sig);
    }
}
