package dev.multislot.local;

import dev.multislot.local.internal.pkcs11.Pkcs11Token;
import dev.multislot.local.internal.pkcs11.SoftHsm2;
import dev.multislot.local.internal.token.SoftwareToken;
import dev.multislot.local.internal.token.Token;
import java.nio.file.Path;
import java.util.Arrays;

/** Opens the token a spec asks for. Blocks (a PKCS#11 module loads and logs in). */
final class ClusterTokens {

    private ClusterTokens() {
    }

    static Token open(LocalClusterSpec spec) {
        TokenBackend b = spec.token();
        if (b.kind() == TokenBackend.Kind.SOFTWARE) {
            return new SoftwareToken(spec.maxFrameSize());
        }
        char[] pin = spec.pin();
        try {
            Path library = b.library().orElseThrow();
            String label = b.tokenLabel().orElse(spec.clusterId());
            if (b.kind() == TokenBackend.Kind.SOFTHSM2) {
                SoftHsm2.useHome(b.softHsm2Home().orElseThrow(), library);
                SoftHsm2.ensureToken(library, label, pin);
            }
            return Pkcs11Token.open(library, label, pin, spec.workerThreads(), spec.maxFrameSize());
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** SoftHSM2's config file for a SoftHSM2 backend (what {@code SOFTHSM2_CONF} must name for other tools). */
    static Path softHsm2Config(TokenBackend b) {
        return b.softHsm2Home().orElseThrow().toAbsolutePath().normalize().resolve(SoftHsm2.CONFIG_FILE);
    }
}
