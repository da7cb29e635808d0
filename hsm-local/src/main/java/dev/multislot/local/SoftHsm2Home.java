package dev.multislot.local;

import dev.multislot.local.internal.pkcs11.SoftHsm2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's SoftHSM2 home, for tests that run clusters on real PKCS#11 tokens: SoftHSM2 reads
 * one config per process, so every cluster a JVM starts on SoftHSM2 gets its token in the same
 * home, a temporary directory made on first use. A test that asks for it fails, naming the
 * package to install, when Debian's SoftHSM2 module is missing; it never skips.
 *
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.start(LocalClusterSpec.builder().token(SoftHsm2Home.backend()).build());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class SoftHsm2Home {

    /** Debian's SoftHSM2 module ({@code apt-get install softhsm2}). */
    public static final Path LIBRARY = SoftHsm2.DEFAULT_LIBRARY;
    private static Path home;

    private SoftHsm2Home() {
    }

    /** Whether Debian's SoftHSM2 module is installed. */
    public static boolean isInstalled() {
        return Files.isRegularFile(LIBRARY);
    }

    /** @throws IllegalStateException naming the packages to install, when SoftHSM2 is missing */
    public static void requireInstalled() {
        if (!isInstalled()) {
            throw new IllegalStateException("SoftHSM2 is not installed (" + LIBRARY + " is missing): these tests need a "
                    + "real PKCS#11 token; install it with 'apt-get install softhsm2 opensc' (.ci/run does)");
        }
    }

    /** The SoftHSM2 backend in this process's home, after checking that SoftHSM2 is installed. */
    public static synchronized TokenBackend backend() {
        requireInstalled();
        if (home == null) {
            try {
                home = Files.createTempDirectory("multislot-softhsm2-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a SoftHSM2 home in the temporary directory", e);
            }
        }
        return TokenBackend.softHsm2(home, LIBRARY);
    }

    /** This process's SoftHSM2 config, for tools such as pkcs11-tool ({@code SOFTHSM2_CONF}). */
    public static synchronized Path config() {
        backend();
        return home.resolve(SoftHsm2.CONFIG_FILE);
    }
}
