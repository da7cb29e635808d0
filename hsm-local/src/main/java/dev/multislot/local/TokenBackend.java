package dev.multislot.local;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What keeps a {@link LocalCluster}'s keys: the in-memory software token (the default: fast, and
 * gone with the process), a SoftHSM2 token that hsm-local creates per cluster, or an existing
 * token of any PKCS#11 module. The HSMs of one cluster share its token; with a PKCS#11 backend the
 * crypto user's password is the token's user PIN (docs/pkcs11.md). Immutable.
 *
 * <pre>{@code
 * LocalClusterSpec.builder().token(TokenBackend.softHsm2(dir)).build();          // a token per cluster in dir
 * LocalClusterSpec.builder().token(TokenBackend.pkcs11(Path.of("/opt/vendor/lib/pkcs11.so"), "prod-1"))
 *         .user("crypto_user", pin).build();                                       // an existing token
 * }</pre>
 *
 * <p>The PKCS#11 backends need the JVM option
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}.
 */
public final class TokenBackend {

    /** What kind of token. */
    public enum Kind {
        /** Keys in the JVM's memory, cryptography by the JDK. */
        SOFTWARE,
        /** A SoftHSM2 token per cluster, created by hsm-local in its home directory. */
        SOFTHSM2,
        /** An existing token of a PKCS#11 module. */
        PKCS11
    }

    /** The JVM option every JVM that runs a PKCS#11 backend needs (the JDK's PKCS#11 wrapper). */
    public static final String PKCS11_JVM_OPTION = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private static final TokenBackend SOFTWARE = new TokenBackend(Kind.SOFTWARE, null, null, null);

    private final Kind kind;
    private final Path library;
    private final String tokenLabel;
    private final Path softHsm2Home;

    private TokenBackend(Kind kind, Path library, String tokenLabel, Path softHsm2Home) {
        this.kind = kind;
        this.library = library;
        this.tokenLabel = tokenLabel;
        this.softHsm2Home = softHsm2Home;
    }

    /** The in-memory software token, the default. */
    public static TokenBackend software() {
        return SOFTWARE;
    }

    /**
     * SoftHSM2 with Debian's module ({@code /usr/lib/softhsm/libsofthsm2.so}): each cluster gets a
     * token labelled with its cluster id in {@code home} ({@code home/softhsm2.conf},
     * {@code home/tokens}), made on first start and reused after. One process uses one home.
     */
    public static TokenBackend softHsm2(Path home) {
        return softHsm2(home, Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    }

    /** SoftHSM2 with the module at {@code library}. */
    public static TokenBackend softHsm2(Path home, Path library) {
        return new TokenBackend(Kind.SOFTHSM2, Objects.requireNonNull(library, "library"), null,
                Objects.requireNonNull(home, "home"));
    }

    /** The existing token labelled {@code tokenLabel} of the PKCS#11 module at {@code library}. */
    public static TokenBackend pkcs11(Path library, String tokenLabel) {
        Objects.requireNonNull(tokenLabel, "tokenLabel");
        if (tokenLabel.isBlank()) {
            throw new IllegalArgumentException("tokenLabel must not be blank");
        }
        return new TokenBackend(Kind.PKCS11, Objects.requireNonNull(library, "library"), tokenLabel, null);
    }

    public Kind kind() {
        return kind;
    }

    /** {@code software}, {@code softhsm2} or {@code pkcs11}, as the launcher's {@code --backend} names it. */
    public String name() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The PKCS#11 module, for the PKCS#11 backends. */
    public Optional<Path> library() {
        return Optional.ofNullable(library);
    }

    /** The token label for {@link Kind#PKCS11}; for SoftHSM2 it is each cluster's id. */
    public Optional<String> tokenLabel() {
        return Optional.ofNullable(tokenLabel);
    }

    /** SoftHSM2's home directory, for {@link Kind#SOFTHSM2}. */
    public Optional<Path> softHsm2Home() {
        return Optional.ofNullable(softHsm2Home);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SOFTWARE -> "TokenBackend[software]";
            case SOFTHSM2 -> "TokenBackend[softhsm2 " + softHsm2Home + "]";
            case PKCS11 -> "TokenBackend[pkcs11 " + library + ", token " + tokenLabel + "]";
        };
    }
}
