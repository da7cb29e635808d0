package dev.multislot.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SoftHSM2 backend for tests: one home per test JVM (SoftHSM2 reads one config per process),
 * a token per cluster in it. A test that needs SoftHSM2 fails, with what to install, when it is
 * missing; it never skips.
 */
public final class SoftHsm2Fixture {

    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static Path home;

    private SoftHsm2Fixture() {
    }

    /** The backend, after checking that SoftHSM2 is installed. */
    public static synchronized TokenBackend backend() {
        requireInstalled();
        if (home == null) {
            try {
                home = Files.createTempDirectory("multislot-softhsm2-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return TokenBackend.softHsm2(home, LIBRARY);
    }

    /** This JVM's SoftHSM2 config, for tools such as pkcs11-tool ({@code SOFTHSM2_CONF}). */
    public static synchronized Path config() {
        backend();
        return home.resolve("softhsm2.conf");
    }

    /** @throws AssertionError naming the package to install */
    public static void requireInstalled() {
        if (!Files.isRegularFile(LIBRARY)) {
            throw new AssertionError("SoftHSM2 is not installed (" + LIBRARY + " is missing): these tests need a real "
                    + "PKCS#11 token; install it with 'apt-get install softhsm2 opensc' (.ci/run does)");
        }
    }
}
