package dev.multislot.testkit;

import dev.multislot.local.TokenBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SoftHSM2 for this module's tests: one home per test JVM (SoftHSM2 reads one config per
 * process), a token per cluster. Fails, naming what to install, when SoftHSM2 is missing.
 */
final class SoftHsm2Backend {

    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static Path home;

    private SoftHsm2Backend() {
    }

    static synchronized TokenBackend backend() {
        if (!Files.isRegularFile(LIBRARY)) {
            throw new AssertionError("SoftHSM2 is not installed (" + LIBRARY + " is missing): these tests need a real "
                    + "PKCS#11 token; install it with 'apt-get install softhsm2 opensc' (.ci/run does)");
        }
        if (home == null) {
            try {
                home = Files.createTempDirectory("multislot-softhsm2-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return TokenBackend.softHsm2(home, LIBRARY);
    }

    /** The config pkcs11-tool needs in SOFTHSM2_CONF to see this JVM's tokens. */
    static synchronized Path config() {
        backend();
        return home.resolve("softhsm2.conf");
    }
}
