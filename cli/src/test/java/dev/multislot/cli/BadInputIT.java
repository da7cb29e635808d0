package dev.multislot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multislot.local.ClientCertificate;
import dev.multislot.local.LocalCluster;
import dev.multislot.local.LocalClusterSpec;
import dev.multislot.local.controlplane.ControlPlaneCluster;
import dev.multislot.local.controlplane.ControlPlaneHsm;
import dev.multislot.local.controlplane.LocalControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets its exit code and one clear stderr line that names the option and the
 * value; nothing is written to the config file.
 */
class BadInputIT {

    @TempDir
    static Path shared;

    static LocalControlPlane controlPlane;
    static LocalCluster cluster;
    static ClientCertificate rsaClient;
    static ClientCertificate ecClient;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        controlPlane = LocalControlPlane.start();
        cluster = LocalCluster.start(LocalClusterSpec.builder().hsmCount(1).port(0).directory(shared.resolve("ca")).build());
        rsaClient = cluster.issueClientCertificate(shared.resolve("rsa"), "pkcs1");
        ecClient = cluster.issueClientCertificate(shared.resolve("ec"), "sec1");
        controlPlane.putCluster(ControlPlaneCluster.active("cluster-aaa1111", "us-east-1",
                ControlPlaneHsm.active("hsm-a1", "10.0.1.11", "us-east-1a")));
        controlPlane.putCluster(new ControlPlaneCluster("cluster-empty00", "us-east-1", ControlPlaneCluster.ACTIVE, List.of()));
    }

    @AfterAll
    static void stop() {
        cluster.close();
        controlPlane.close();
    }

    private Path config() {
        return dir.resolve("cloudhsm-pkcs11.cfg");
    }

    private CliProcess.Result add(String... extra) {
        List<String> args = new ArrayList<>(List.of("add-cluster", "--endpoint", controlPlane.endpoint().toString(),
                "--config-file", config().toString()));
        args.addAll(List.of(extra));
        return CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1").run(args.toArray(String[]::new));
    }

    private static void assertFails(CliProcess.Result r, int exitCode, String... inMessage) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
        assertThat(r.stdout()).as("nothing on stdout").isEmpty();
        assertThat(r.stderr().strip().lines()).as("one line on stderr: " + r.stderr()).hasSize(1);
        assertThat(r.stderr()).contains(inMessage);
    }

    private void assertNothingWritten() {
        assertThat(Files.exists(config())).as("config file written despite the error").isFalse();
    }

    @Test
    void missingClusterIdIsAUsageError() {
        assertFails(add("--hsm-ca-cert", cluster.caFile().toString()), ExitCode.USAGE, "--cluster-id");
        assertNothingWritten();
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--colour", "red"), ExitCode.USAGE, "--colour");
    }

    @Test
    void malformedClusterIdIsBadInput() {
        assertFails(add("--cluster-id", "my-cluster", "--hsm-ca-cert", cluster.caFile().toString()),
                ExitCode.BAD_INPUT, "--cluster-id my-cluster", "cluster-1234567");
        assertNothingWritten();
    }

    @Test
    void malformedRegionIsBadInput() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--region", "Virginia"), ExitCode.BAD_INPUT, "--region Virginia");
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        CliProcess.Result r = CliProcess.configurePkcs11(dir).run("add-cluster", "--cluster-id", "cluster-aaa1111",
                "--endpoint", "ftp://example.com", "--config-file", config().toString());
        assertFails(r, ExitCode.BAD_INPUT, "--endpoint ftp://example.com", "http");
    }

    @Test
    void certificateWithoutKeyIsAUsageError() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString(),
                "--server-client-cert-file", rsaClient.certFile().toString()), ExitCode.USAGE, "--server-client-key-file");
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString(),
                "--server-client-key-file", rsaClient.keyFile().toString()), ExitCode.USAGE, "--server-client-cert-file");
        assertNothingWritten();
    }

    @Test
    void missingCaFileIsBadInput() {
        Path missing = dir.resolve("nope.crt");
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", missing.toString()),
                ExitCode.BAD_INPUT, "--hsm-ca-cert " + missing, "no such file");
        assertNothingWritten();
    }

    @Test
    void caFileThatIsAKeyIsBadInput() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", rsaClient.keyFile().toString()),
                ExitCode.BAD_INPUT, "--hsm-ca-cert", "expected a PEM certificate", "found a private key");
    }

    @Test
    void caFileThatIsNotPemIsBadInput() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.crt"), "hello, not a certificate\n");
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", junk.toString()),
                ExitCode.BAD_INPUT, "--hsm-ca-cert " + junk);
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsBadInput() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString(),
                "--server-client-cert-file", rsaClient.certFile().toString(),
                "--server-client-key-file", ecClient.keyFile().toString()),
                ExitCode.BAD_INPUT, "--server-client-key-file " + ecClient.keyFile(), "does not match");
        assertNothingWritten();
    }

    @Test
    void keyFileThatIsACertificateIsBadInput() {
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString(),
                "--server-client-cert-file", rsaClient.certFile().toString(),
                "--server-client-key-file", rsaClient.certFile().toString()),
                ExitCode.BAD_INPUT, "--server-client-key-file", "expected a PEM private key");
    }

    @Test
    void unknownClusterIsAnAwsErrorNamingTheRegion() {
        assertFails(add("--cluster-id", "cluster-zzz9999", "--hsm-ca-cert", cluster.caFile().toString()),
                ExitCode.AWS_API_ERROR, "cluster-zzz9999", "us-east-1");
        assertNothingWritten();
    }

    @Test
    void accessDeniedIsAnAwsError() {
        controlPlane.failNext(1, "CloudHsmAccessDeniedException", 400);
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString()),
                ExitCode.AWS_API_ERROR, "cluster-aaa1111", "denied");
        assertNothingWritten();
    }

    @Test
    void unreachableEndpointIsAnAwsError() {
        List<String> args = List.of("add-cluster", "--cluster-id", "cluster-aaa1111", "--endpoint", "http://127.0.0.1:9",
                "--hsm-ca-cert", cluster.caFile().toString(), "--config-file", config().toString());
        CliProcess.Result r = CliProcess.configurePkcs11(dir).env("AWS_REGION", "us-east-1").run(args.toArray(String[]::new));
        assertFails(r, ExitCode.AWS_API_ERROR, "127.0.0.1:9");
        assertNothingWritten();
    }

    @Test
    void clusterWithoutUsableHsmsWritesNothing() {
        assertFails(add("--cluster-id", "cluster-empty00", "--hsm-ca-cert", cluster.caFile().toString()),
                ExitCode.AWS_API_ERROR, "cluster-empty00", "no usable HSM");
        assertNothingWritten();
    }

    @Test
    void removingAClusterThatIsNotConfiguredListsTheConfiguredOnes() {
        assertThat(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString()).exitCode()).isZero();
        CliProcess.Result r = CliProcess.configurePkcs11(dir).run("remove-cluster", "--cluster-id", "cluster-bbb2222",
                "--config-file", config().toString());
        assertFails(r, ExitCode.BAD_INPUT, "cluster-bbb2222", "not configured", "configured: cluster-aaa1111");
    }

    @Test
    void brokenConfigFileIsAConfigFileError() throws Exception {
        Files.writeString(config(), "{\"clusters\": [ {\"type\": \"hsm1\", \"cluster\": { ");
        assertFails(add("--cluster-id", "cluster-aaa1111", "--hsm-ca-cert", cluster.caFile().toString()),
                ExitCode.CONFIG_FILE_ERROR, config().toString());
        CliProcess.Result list = CliProcess.configurePkcs11(dir).run("list-clusters", "--config-file", config().toString());
        assertFails(list, ExitCode.CONFIG_FILE_ERROR, config().toString(), "line");
    }

    @Test
    void noSubcommandIsAUsageError() {
        CliProcess.Result r = CliProcess.configurePkcs11(dir).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.stderr()).contains("add-cluster");
    }
}
