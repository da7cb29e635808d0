package dev.multislot.cli;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --hsm-ca-cert} and the client certificate pair, shared by {@code add-cluster} and the
 * configure form. Every file is checked (exists, readable, PEM of the right kind, key matches
 * certificate) before anything is written.
 */
final class TlsFileOptions {

    @Option(names = "--hsm-ca-cert", paramLabel = "<HSM CA CERTIFICATE FILE>",
            description = "The cluster's CA certificate (PEM). Default for a new cluster: /opt/cloudhsm/etc/customerCA.crt.")
    Path hsmCaCert;

    @Option(names = {"--server-client-cert-file", "--client-cert-hsm-tls-file"}, paramLabel = "<CLIENT CERTIFICATE FILE>",
            description = "Client certificate (PEM) for mutual TLS with the HSMs. Goes with --server-client-key-file"
                    + " (SDK 5.x also calls the pair --client-cert-hsm-tls-file / --client-key-hsm-tls-file).")
    Path clientCertFile;

    @Option(names = {"--server-client-key-file", "--client-key-hsm-tls-file"}, paramLabel = "<CLIENT KEY FILE>",
            description = "The client certificate's private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)."
                    + " Goes with --server-client-cert-file.")
    Path clientKeyFile;

    /** The checked files, as absolute paths. */
    record Checked(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) {
        boolean any() {
            return caFile.isPresent() || certFile.isPresent();
        }
    }

    /** Fails with a usage error when only one of the pair is given. */
    void checkPairing() {
        if ((clientCertFile == null) != (clientKeyFile == null)) {
            throw CliException.usage(clientCertFile == null
                    ? "--server-client-key-file needs --server-client-cert-file: give both or neither"
                    : "--server-client-cert-file needs --server-client-key-file: give both or neither");
        }
    }

    /** Checks every file given; fails with a bad-input error naming the option and the file. */
    Checked check() {
        checkPairing();
        Optional<Path> ca = Optional.empty();
        if (hsmCaCert != null) {
            PemValidator.caCertificate("--hsm-ca-cert", hsmCaCert);
            ca = Optional.of(hsmCaCert.toAbsolutePath().normalize());
        }
        if (clientCertFile == null) {
            return new Checked(ca, Optional.empty(), Optional.empty());
        }
        X509Certificate cert = PemValidator.certificate("--server-client-cert-file", clientCertFile);
        PrivateKey key = PemValidator.privateKey("--server-client-key-file", clientKeyFile);
        PemValidator.keyMatchesCertificate(clientKeyFile, key, clientCertFile, cert);
        return new Checked(ca, Optional.of(clientCertFile.toAbsolutePath().normalize()),
                Optional.of(clientKeyFile.toAbsolutePath().normalize()));
    }
}
