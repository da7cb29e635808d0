package dev.multislot.local;

import static dev.multislot.local.TestHsmClient.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multislot.protocol.Mechanism;
import dev.multislot.protocol.Opcode;
import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;
import dev.multislot.protocol.Response;
import dev.multislot.protocol.ResponseFrame;
import dev.multislot.protocol.Status;
import dev.multislot.protocol.WireKeyType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets its defined error, and a connection that breaks the protocol is closed without
 * touching the HSM's other connections: every test checks a bystander connection afterwards.
 * One suite for every token backend ({@link BadInputTest}: software, {@link BadInputSoftHsm2Test}:
 * SoftHSM2), so both refuse the same requests with the same statuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BadInputContract {

    /** The token backend the suite runs against. */
    abstract TokenBackend backend();


    @TempDir
    static Path dir;
    LocalCluster cluster;
    long aesKey;
    long ecKey;
    long macKey;
    TestHsmClient bystander;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(dir.resolve("a"))
                .token(backend()).build());
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            aesKey = ok(c.call(new Request.GenerateKey(WireKeyType.AES_256, "aes")), Response.KeyInfo.class).handle();
            ecKey = ok(c.call(new Request.GenerateKey(WireKeyType.EC_P256, "ec")), Response.KeyInfo.class).handle();
            macKey = ok(c.call(new Request.GenerateKey(WireKeyType.HMAC_SHA256, "mac")), Response.KeyInfo.class).handle();
        }
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void openBystander() {
        bystander = TestHsmClient.loggedIn(cluster, 0);
    }

    @AfterEach
    void bystanderStillServed() {
        assertThat(bystander.call(new Request.Random(16))).isInstanceOf(Response.Bytes.class);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    @Test
    void wrongPasswordIsPinIncorrectAndTheConnectionStaysUsable() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            c.hello();
            Response r = c.call(new Request.Login("crypto_user", "not-it".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(Status.PIN_INCORRECT);
            c.login("crypto_user", "password1");
            assertThat(c.call(new Request.Random(4))).isInstanceOf(Response.Bytes.class);
        }
    }

    @Test
    void anotherUserOnALoggedInConnectionIsRefused() {
        try (LocalCluster two = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .directory(dir.resolve("two")).user("alice", "alice-pw").user("bob", "bob-pw").build());
                TestHsmClient c = TestHsmClient.connect(two.hsm(0), TestHsmClient.trusting(two.caFile()))) {
            c.hello();
            assertThat(c.call(new Request.Login("crypto_user", "password1".getBytes(StandardCharsets.UTF_8))).status())
                    .as("the default user exists only when no user is given").isEqualTo(Status.PIN_INCORRECT);
            c.login("alice", "alice-pw");
            Response r = c.call(new Request.Login("bob", "bob-pw".getBytes(StandardCharsets.UTF_8)));
            assertThat(r.status()).isEqualTo(Status.USER_ANOTHER_ALREADY_LOGGED_IN);
            assertThat(c.call(new Request.Logout())).isInstanceOf(Response.Done.class);
            c.login("bob", "bob-pw");
        }
    }

    @Test
    void unknownKeyHandleIsKeyHandleInvalid() {
        long unknown = Long.MAX_VALUE - 7;
        assertThat(bystander.call(new Request.Sign(unknown, Mechanism.ECDSA_SHA256, new byte[1])).status())
                .isEqualTo(Status.KEY_HANDLE_INVALID);
        assertThat(bystander.call(new Request.GetPublicKey(unknown)).status()).isEqualTo(Status.KEY_HANDLE_INVALID);
        assertThat(bystander.call(new Request.Encrypt(unknown, Mechanism.AES_GCM, new byte[1], new byte[0])).status())
                .isEqualTo(Status.KEY_HANDLE_INVALID);
    }

    @Test
    void keysAndMechanismsThatDoNotFitAreRefused() {
        // A key of the wrong type for the mechanism.
        assertThat(bystander.call(new Request.Sign(aesKey, Mechanism.ECDSA_SHA256, new byte[1])).status())
                .isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        assertThat(bystander.call(new Request.Sign(ecKey, Mechanism.RSA_PSS_SHA256, new byte[1])).status())
                .isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        assertThat(bystander.call(new Request.Sign(ecKey, Mechanism.HMAC_SHA256, new byte[1])).status())
                .isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        assertThat(bystander.call(new Request.Encrypt(macKey, Mechanism.AES_GCM, new byte[1], new byte[0])).status())
                .isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        assertThat(bystander.call(new Request.GetPublicKey(aesKey)).status()).isEqualTo(Status.KEY_TYPE_INCONSISTENT);
        // A mechanism that cannot do the operation at all.
        assertThat(bystander.call(new Request.Sign(aesKey, Mechanism.AES_GCM, new byte[1])).status())
                .isEqualTo(Status.MECHANISM_INVALID);
        assertThat(bystander.call(new Request.Encrypt(aesKey, Mechanism.ECDSA_SHA256, new byte[1], new byte[0])).status())
                .isEqualTo(Status.MECHANISM_INVALID);
    }

    @Test
    void outOfRangeArgumentsAreRefused() {
        assertThat(bystander.call(new Request.Random(0)).status()).isEqualTo(Status.ARGUMENTS_BAD);
        assertThat(bystander.call(new Request.Random(ProtocolConstants.MAX_RANDOM_LENGTH + 1)).status())
                .isEqualTo(Status.ARGUMENTS_BAD);
        assertThat(bystander.call(new Request.GenerateKey(WireKeyType.AES_256, "x".repeat(128))).status())
                .isEqualTo(Status.ARGUMENTS_BAD);
        assertThat(bystander.call(new Request.Decrypt(aesKey, Mechanism.AES_GCM, new byte[8], new byte[32], new byte[0]))
                .status()).isEqualTo(Status.DATA_INVALID);
        assertThat(bystander.call(new Request.Decrypt(aesKey, Mechanism.AES_GCM, new byte[12], new byte[5], new byte[0]))
                .status()).isEqualTo(Status.ENCRYPTED_DATA_INVALID);
        assertThat(bystander.call(new Request.Verify(ecKey, Mechanism.ECDSA_SHA256, new byte[1], new byte[] {1, 2, 3}))
                .status()).isEqualTo(Status.DATA_INVALID);
        // A plaintext whose request fits in one frame (25 bytes besides it) but whose answer
        // (44 bytes besides it: IV, tag, lengths) would not.
        byte[] big = new byte[ProtocolConstants.DEFAULT_MAX_FRAME_SIZE - 25];
        assertThat(bystander.call(new Request.Encrypt(aesKey, Mechanism.AES_GCM, big, new byte[0])).status())
                .isEqualTo(Status.DATA_LEN_RANGE);
    }

    @Test
    void requestBeforeHelloIsAProtocolErrorAndClosesThatConnection() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            Response r = c.call(new Request.Random(4));
            assertThat(r.status()).isEqualTo(Status.PROTOCOL_ERROR);
            assertThat(((Response.Error) r).message()).contains("HELLO");
            assertThat(c.awaitClosed()).isTrue();
        }
        assertThat(cluster.hsm(0).stats().protocolErrors()).isPositive();
    }

    @Test
    void unsupportedVersionIsRefused() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            Response r = c.call(new Request.Hello(ProtocolConstants.VERSION + 1, "future-client"));
            assertThat(r.status()).isEqualTo(Status.VERSION_UNSUPPORTED);
            assertThat(((Response.Error) r).message()).contains(String.valueOf(ProtocolConstants.VERSION + 1));
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    void secondHelloIsAProtocolError() {
        try (TestHsmClient c = TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(cluster.caFile()))) {
            c.hello();
            assertThat(c.call(new Request.Hello(ProtocolConstants.VERSION, "again")).status())
                    .isEqualTo(Status.PROTOCOL_ERROR);
            assertThat(c.awaitClosed()).isTrue();
        }
    }

    @Test
    void oversizeFrameIsAProtocolErrorAndClosesThatConnection() {
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(ProtocolConstants.DEFAULT_MAX_FRAME_SIZE + 1); // only the prefix: refused before the body
            c.sendRaw(b);
            assertThat(c.awaitClosed()).isTrue();
            assertThat(c.unsolicited).singleElement().satisfies(f -> assertProtocolError(f, "larger"));
        }
    }

    @Test
    void garbageFrameIsAProtocolErrorAndClosesThatConnection() {
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(ProtocolConstants.HEADER_SIZE);
            b.writeByte(0).writeByte(0xEE).writeShort(0).writeInt(77); // a request with an unknown opcode
            c.sendRaw(b);
            assertThat(c.awaitClosed()).isTrue();
            assertThat(c.unsolicited).singleElement().satisfies(f -> assertProtocolError(f, "opcode"));
        }
    }

    @Test
    void truncatedFrameIsAProtocolErrorAndClosesThatConnection() {
        try (TestHsmClient c = TestHsmClient.loggedIn(cluster, 0)) {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(ProtocolConstants.HEADER_SIZE + 3);
            b.writeByte(0).writeByte(Opcode.SIGN.code()).writeShort(0).writeInt(78);
            b.writeByte(1).writeByte(2).writeByte(3); // a SIGN payload cut short: no room for its handle
            c.sendRaw(b);
            assertThat(c.awaitClosed()).isTrue();
            assertThat(c.unsolicited).singleElement().satisfies(f -> assertProtocolError(f, "truncated"));
        }
    }

    @Test
    void clientThatDoesNotTrustTheCaCannotConnect() {
        try (LocalCluster other = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0)
                .directory(dir.resolve("other")).build())) {
            // Trusting another cluster's CA: the handshake fails on the client's side.
            assertThatThrownBy(() -> TestHsmClient.connect(cluster.hsm(0), TestHsmClient.trusting(other.caFile())))
                    .rootCause().isInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void plainTcpClientIsDisconnected() throws Exception {
        // Speaking the protocol without TLS: the HSM sees no ClientHello and drops the connection.
        try (java.net.Socket s = new java.net.Socket(cluster.hsm(0).host(), cluster.hsm(0).port())) {
            s.setSoTimeout((int) TestHsmClient.TIMEOUT.toMillis());
            byte[] hello = new byte[64];
            hello[3] = 60;
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            int read;
            do {
                read = s.getInputStream().read(new byte[256]);
            } while (read > 0);
            assertThat(read).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    private static void assertProtocolError(ResponseFrame f, String messagePart) {
        assertThat(f.status()).isEqualTo(Status.PROTOCOL_ERROR);
        assertThat(f.requestId()).isZero();
        assertThat(((Response.Error) f.response()).message()).containsIgnoringCase(messagePart);
    }

}
