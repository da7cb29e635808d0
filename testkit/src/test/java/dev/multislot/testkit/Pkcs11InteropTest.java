package dev.multislot.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.api.KeyRef;
import dev.multislot.api.KeyType;
import dev.multislot.api.SignatureAlgorithm;
import dev.multislot.api.SlotSession;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.SoftHsm2Home;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token behind the HSM server is a real PKCS#11 token that other tools share: keys made
 * through the connector are listed by {@code pkcs11-tool} with their labels and attributes, a
 * signature made through the connector verifies with {@code openssl dgst}, and a key that
 * {@code pkcs11-tool} makes on the token is found by label through the connector and signs.
 */
class Pkcs11InteropTest {

    @TempDir
    static Path dir;
    @RegisterExtension
    static final MultislotExtension multislot = MultislotExtension.builder()
            .hsms(2)
            .cluster(spec -> spec.token(SoftHsm2Home.backend()))
            .build();
    static LocalCluster cluster;
    static SlotSession session;

    @BeforeAll
    static void start(LocalCluster started, SlotSession loggedIn) {
        cluster = started;
        session = loggedIn;
    }

    @Test
    void keysGeneratedThroughTheConnectorAreListedByPkcs11ToolWithTheirLabels() throws Exception {
        session.generateKey(KeyType.EC_P256, "interop-ec").block();
        session.generateKey(KeyType.AES_256, "interop-aes").block();
        String out = pkcs11Tool("--login", "--pin", LocalClusterSpec.DEFAULT_PASSWORD, "--list-objects");
        assertThat(out).contains("Private Key Object; EC", "label:      interop-ec", "Public Key Object; EC",
                "Secret Key Object; AES length 32", "label:      interop-aes");
        // The private and secret keys cannot leave the token.
        assertThat(blockOf(out, "Private Key Object; EC", "interop-ec"))
                .contains("sensitive", "never extractable");
        assertThat(blockOf(out, "Secret Key Object; AES length 32", "interop-aes"))
                .contains("sensitive", "never extractable");
    }

    @Test
    void aConnectorSignatureVerifiesWithOpensslDgst() throws Exception {
        KeyRef key = session.generateKey(KeyType.EC_P256, "openssl-verify").block();
        byte[] data = "signed through the connector, checked by openssl".getBytes(StandardCharsets.UTF_8);
        byte[] der = session.sign(key, SignatureAlgorithm.ECDSA_SHA256, data).block();
        PublicKey pub = session.publicKey(key).block();
        Path pem = dir.resolve("pub.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pub.getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path dataFile = Files.write(dir.resolve("data.bin"), data);
        Path sigFile = Files.write(dir.resolve("sig.der"), der);
        String out = run(List.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature",
                sigFile.toString(), dataFile.toString()));
        assertThat(out).contains("Verified OK");

        Files.write(dataFile, "other data".getBytes(StandardCharsets.UTF_8));
        assertThat(runExpectingFailure(List.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature",
                sigFile.toString(), dataFile.toString()))).contains("Verification failure");
    }

    @Test
    void aKeyMadeByPkcs11ToolIsFoundByLabelThroughTheConnectorAndSigns() throws Exception {
        pkcs11Tool("--login", "--pin", LocalClusterSpec.DEFAULT_PASSWORD, "--keypairgen", "--key-type", "EC:prime256v1",
                "--label", "made-by-pkcs11-tool", "--id", "0a0b0c");
        List<KeyRef> found = session.findKeys("made-by-pkcs11-tool").collectList().block(Duration.ofSeconds(10));
        assertThat(found).singleElement().satisfies(k -> {
            assertThat(k.type()).isEqualTo(KeyType.EC_P256);
            assertThat(k.handle()).isEqualTo(0x0a0b0cL); // its CKA_ID, read as a number
        });
        KeyRef key = found.get(0);
        byte[] data = "tool-made key".getBytes(StandardCharsets.UTF_8);
        byte[] sig = session.sign(key, SignatureAlgorithm.ECDSA_SHA256, data).block();
        Signature jca = Signature.getInstance("SHA256withECDSA");
        jca.initVerify(session.publicKey(key).block());
        jca.update(data);
        assertThat(jca.verify(sig)).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private static String blockOf(String listing, String header, String label) {
        int at = listing.indexOf(header + "\n  label:      " + label);
        assertThat(at).as("pkcs11-tool lists %s %s", header, label).isNotNegative();
        int end = listing.indexOf("Object;", at + header.length());
        return end < 0 ? listing.substring(at) : listing.substring(at, end);
    }

    private static String pkcs11Tool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", SoftHsm2Home.LIBRARY.toString(),
                "--token-label", cluster.tokenLabel().orElseThrow()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = start(cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s exits 0; it printed:%n%s", cmd, out).isZero();
        return out;
    }

    private static String runExpectingFailure(List<String> cmd) throws Exception {
        Process p = start(cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        return out;
    }

    private static Process start(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", cluster.softHsm2Config().orElseThrow().toString());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError(cmd.get(0) + " is not installed: the interop tests need it "
                    + "('apt-get install opensc openssl'; .ci/run does)", e);
        }
    }
}
