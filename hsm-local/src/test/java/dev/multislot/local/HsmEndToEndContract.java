package dev.multislot.local;

import static dev.multislot.local.TestHsmClient.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * The happy paths, end to end over TLS: handshake, login, every key type and mechanism, checked
 * with plain JCA. One suite for every token backend: {@link HsmEndToEndTest} runs it on the
 * software token, {@link HsmEndToEndSoftHsm2Test} on a SoftHSM2 token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HsmEndToEndContract {

    /** The token backend the suite runs against. */
    abstract TokenBackend backend();


    @TempDir
    static Path dir;
    LocalCluster cluster;
    TestHsmClient client;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(2).port(0).directory(dir).token(backend()).build());
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void connect() {
        client = TestHsmClient.loggedIn(cluster, 0);
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void helloAnnouncesTheHsmTheClusterAndTheLimits() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(1), TestHsmClient.trusting(cluster.caFile()))) {
            Response.HelloOk hello = c.hello();
            assertThat(hello.protocolVersion()).isEqualTo(ProtocolConstants.VERSION);
            assertThat(hello.hsmId()).isEqualTo(cluster.hsm(1).hsmId());
            assertThat(hello.clusterId()).isEqualTo(cluster.clusterId());
            assertThat(hello.maxInFlight()).isEqualTo(LocalClusterSpec.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION);
            assertThat(hello.maxFrameSize()).isEqualTo(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE);
        }
    }

    @Test
    void serverCertificateNamesTheHsmAndItsIpAndIsIssuedByTheClusterCa() throws Exception {
        // The client checked the IP against the subjectAltName during the handshake already.
        X509Certificate peer = (X509Certificate) client.sslHandler().engine().getSession().getPeerCertificates()[0];
        X509Certificate ca = TestHsmClient.readCertificate(cluster.caFile());
        peer.verify(ca.getPublicKey());
        assertThat(peer.getSubjectX500Principal().getName()).contains("CN=" + cluster.hsm(0).hsmId());
        assertThat(peer.getSubjectAlternativeNames()).anySatisfy(san ->
                assertThat(List.<Object>copyOf(san)).containsExactly(7, cluster.hsm(0).host()));
        assertThat(client.sslHandler().engine().getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
    }

    @Test
    void pingEchoesItsPayload() {
        byte[] payload = "are you there".getBytes(StandardCharsets.UTF_8);
        StepVerifier.create(client.mono(new Request.Ping(payload)))
                .assertNext(r -> assertThat(ok(r, Response.Bytes.class).value()).isEqualTo(payload))
                .verifyComplete();
    }

    @Test
    void ecdsaSignaturesVerifyWithPlainJca() throws Exception {
        byte[] data = "sign me".getBytes(StandardCharsets.UTF_8);
        for (Object[] c : new Object[][] {
                {WireKeyType.EC_P256, Mechanism.ECDSA_SHA256, "SHA256withECDSA"},
                {WireKeyType.EC_P384, Mechanism.ECDSA_SHA384, "SHA384withECDSA"}}) {
            Response.KeyInfo key = generate((WireKeyType) c[0], "ec-" + c[0]);
            assertThat(key.handle()).isPositive();
            assertThat(key.keyType()).isEqualTo(c[0]);
            byte[] sig = sign(key.handle(), (Mechanism) c[1], data);
            Signature jca = Signature.getInstance((String) c[2]);
            jca.initVerify(publicKey(key.handle(), "EC"));
            jca.update(data);
            assertThat(jca.verify(sig)).as("JCA verifies the HSM's %s signature", c[1]).isTrue();
            assertThat(verify(key.handle(), (Mechanism) c[1], data, sig)).isTrue();
            byte[] other = "other data".getBytes(StandardCharsets.UTF_8);
            assertThat(verify(key.handle(), (Mechanism) c[1], other, sig)).isFalse();
        }
    }

    @Test
    void rsaPssAndPkcs1SignaturesVerifyWithPlainJca() throws Exception {
        Response.KeyInfo key = generate(WireKeyType.RSA_2048, "rsa");
        PublicKey pub = publicKey(key.handle(), "RSA");
        byte[] data = "rsa data".getBytes(StandardCharsets.UTF_8);

        byte[] pss = sign(key.handle(), Mechanism.RSA_PSS_SHA256, data);
        Signature jcaPss = Signature.getInstance("RSASSA-PSS");
        jcaPss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        jcaPss.initVerify(pub);
        jcaPss.update(data);
        assertThat(jcaPss.verify(pss)).isTrue();
        assertThat(verify(key.handle(), Mechanism.RSA_PSS_SHA256, data, pss)).isTrue();

        byte[] pkcs1 = sign(key.handle(), Mechanism.RSA_PKCS1_SHA256, data);
        Signature jcaPkcs1 = Signature.getInstance("SHA256withRSA");
        jcaPkcs1.initVerify(pub);
        jcaPkcs1.update(data);
        assertThat(jcaPkcs1.verify(pkcs1)).isTrue();
        assertThat(pkcs1).hasSize(256);
    }

    @Test
    void rsa3072KeysSign() throws Exception {
        Response.KeyInfo key = generate(WireKeyType.RSA_3072, "rsa3072");
        byte[] sig = sign(key.handle(), Mechanism.RSA_PKCS1_SHA256, new byte[] {1, 2, 3});
        assertThat(sig).hasSize(384);
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(publicKey(key.handle(), "RSA"));
        jca.update(new byte[] {1, 2, 3});
        assertThat(jca.verify(sig)).isTrue();
    }

    @Test
    void hmacSignsAndVerifies() {
        Response.KeyInfo key = generate(WireKeyType.HMAC_SHA256, "mac");
        byte[] data = "mac me".getBytes(StandardCharsets.UTF_8);
        byte[] mac = sign(key.handle(), Mechanism.HMAC_SHA256, data);
        assertThat(mac).hasSize(32);
        assertThat(sign(key.handle(), Mechanism.HMAC_SHA256, data)).isEqualTo(mac);
        assertThat(verify(key.handle(), Mechanism.HMAC_SHA256, data, mac)).isTrue();
        byte[] wrong = mac.clone();
        wrong[0] ^= 1;
        assertThat(verify(key.handle(), Mechanism.HMAC_SHA256, data, wrong)).isFalse();
    }

    @Test
    void aesGcmRoundTripsWithFreshIvsAndRefusesTamperedCiphertext() {
        Response.KeyInfo key = generate(WireKeyType.AES_256, "aes");
        byte[] plain = "secret message".getBytes(StandardCharsets.UTF_8);
        byte[] aad = "header".getBytes(StandardCharsets.UTF_8);
        Response.Encrypted e1 = ok(client.call(new Request.Encrypt(key.handle(), Mechanism.AES_GCM, plain, aad)),
                Response.Encrypted.class);
        Response.Encrypted e2 = ok(client.call(new Request.Encrypt(key.handle(), Mechanism.AES_GCM, plain, aad)),
                Response.Encrypted.class);
        assertThat(e1.iv()).hasSize(12);
        assertThat(e1.iv()).isNotEqualTo(e2.iv());
        assertThat(e1.ciphertext()).hasSize(plain.length + 16);

        Response d = client.call(new Request.Decrypt(key.handle(), Mechanism.AES_GCM, e1.iv(), e1.ciphertext(), aad));
        assertThat(ok(d, Response.Bytes.class).value()).isEqualTo(plain);

        byte[] tampered = e1.ciphertext().clone();
        tampered[0] ^= 1;
        Response bad = client.call(new Request.Decrypt(key.handle(), Mechanism.AES_GCM, e1.iv(), tampered, aad));
        assertThat(bad.status()).isEqualTo(Status.ENCRYPTED_DATA_INVALID);
        Response wrongAad = client.call(new Request.Decrypt(key.handle(), Mechanism.AES_GCM, e1.iv(), e1.ciphertext(),
                new byte[0]));
        assertThat(wrongAad.status()).isEqualTo(Status.ENCRYPTED_DATA_INVALID);
    }

    @Test
    void randomReturnsTheLengthAskedFor() {
        for (int len : new int[] {1, 32, ProtocolConstants.MAX_RANDOM_LENGTH}) {
            byte[] b = ok(client.call(new Request.Random(len)), Response.Bytes.class).value();
            assertThat(b).hasSize(len);
        }
        byte[] a = ok(client.call(new Request.Random(32)), Response.Bytes.class).value();
        byte[] b = ok(client.call(new Request.Random(32)), Response.Bytes.class).value();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void findGetAndDelete() {
        String label = "find-" + System.nanoTime();
        Response.KeyInfo k1 = generate(WireKeyType.AES_256, label);
        Response.KeyInfo k2 = generate(WireKeyType.EC_P256, label);
        generate(WireKeyType.HMAC_SHA256, label + "-other");

        List<Response.KeyInfo> found = ok(client.call(new Request.FindKeys(Optional.of(label))), Response.KeyList.class)
                .keys();
        assertThat(found).containsExactlyInAnyOrder(k1, k2)
                .isSortedAccordingTo((a, b) -> Long.compare(a.handle(), b.handle()));
        List<Response.KeyInfo> all = ok(client.call(new Request.FindKeys(Optional.empty())), Response.KeyList.class)
                .keys();
        assertThat(all).contains(k1, k2).hasSizeGreaterThanOrEqualTo(3);
        assertThat(all).isSortedAccordingTo((a, b) -> Long.compare(a.handle(), b.handle()));
        assertThat(client.call(new Request.GetKey(k2.handle()))).isEqualTo(k2);

        assertThat(client.call(new Request.DeleteKey(k1.handle()))).isInstanceOf(Response.Done.class);
        assertThat(ok(client.call(new Request.FindKeys(Optional.of(label))), Response.KeyList.class).keys())
                .containsExactly(k2);
        assertThat(client.call(new Request.GetKey(k1.handle())).status()).isEqualTo(Status.KEY_HANDLE_INVALID);
        assertThat(client.call(new Request.DeleteKey(k1.handle())).status()).isEqualTo(Status.KEY_HANDLE_INVALID);
    }

    @Test
    void keysMadeThroughOneHsmWorkThroughAnother() throws Exception {
        Response.KeyInfo key = generate(WireKeyType.EC_P256, "shared");
        byte[] data = "via hsm 1".getBytes(StandardCharsets.UTF_8);
        try (TestHsmClient other = TestHsmClient.loggedIn(cluster, 1)) {
            assertThat(other.call(new Request.GetKey(key.handle()))).isEqualTo(key);
            byte[] sig = ok(other.call(new Request.Sign(key.handle(), Mechanism.ECDSA_SHA256, data)),
                    Response.Bytes.class).value();
            assertThat(verify(key.handle(), Mechanism.ECDSA_SHA256, data, sig)).isTrue();
            Signature jca = Signature.getInstance("SHA256withECDSA");
            jca.initVerify(publicKey(key.handle(), "EC"));
            jca.update(data);
            assertThat(jca.verify(sig)).isTrue();
            assertThat(other.call(new Request.DeleteKey(key.handle()))).isInstanceOf(Response.Done.class);
        }
        assertThat(client.call(new Request.GetKey(key.handle())).status()).isEqualTo(Status.KEY_HANDLE_INVALID);
    }

    @Test
    void loginRulesPerConnection() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            c.hello();
            assertThat(c.call(new Request.Random(8)).status()).isEqualTo(Status.USER_NOT_LOGGED_IN);
            assertThat(c.call(new Request.Logout()).status()).isEqualTo(Status.USER_NOT_LOGGED_IN);
            Response wrong = c.call(new Request.Login("crypto_user", "hunter2-bad".getBytes(StandardCharsets.UTF_8)));
            assertThat(wrong.status()).isEqualTo(Status.PIN_INCORRECT);
            assertThat(((Response.Error) wrong).message()).doesNotContain("hunter2").doesNotContain("password1");
            assertThat(c.call(new Request.Login("nobody", "password1".getBytes(StandardCharsets.UTF_8))).status())
                    .isEqualTo(Status.PIN_INCORRECT);
            c.login("crypto_user", "password1");
            c.login("crypto_user", "password1"); // the same user again is fine
            assertThat(c.call(new Request.Random(8))).isInstanceOf(Response.Bytes.class);
            assertThat(c.call(new Request.Logout())).isInstanceOf(Response.Done.class);
            assertThat(c.call(new Request.Random(8)).status()).isEqualTo(Status.USER_NOT_LOGGED_IN);
        }
    }

    // ---------------------------------------------------------------- helpers

    private Response.KeyInfo generate(WireKeyType type, String label) {
        return ok(client.call(new Request.GenerateKey(type, label)), Response.KeyInfo.class);
    }

    private byte[] sign(long handle, Mechanism m, byte[] data) {
        return ok(client.call(new Request.Sign(handle, m, data)), Response.Bytes.class).value();
    }

    private boolean verify(long handle, Mechanism m, byte[] data, byte[] sig) {
        return ok(client.call(new Request.Verify(handle, m, data, sig)), Response.Verified.class).valid();
    }

    private PublicKey publicKey(long handle, String algorithm) throws Exception {
        byte[] der = ok(client.call(new Request.GetPublicKey(handle)), Response.Bytes.class).value();
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    }
}
