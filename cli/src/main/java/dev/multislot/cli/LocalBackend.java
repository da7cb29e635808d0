package dev.multislot.cli;

import dev.multislot.local.TokenBackend;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What keeps the keys of the hsm-local clusters that {@code multislot demo} and {@code multislot service} start. */
public enum LocalBackend {
    /** In memory, in the HSM server's JVM. */
    SOFTWARE("software tokens"),
    /** A SoftHSM2 token per cluster, under the run's work folder. */
    SOFTHSM2("a SoftHSM2 token per cluster");

    private final String description;

    LocalBackend(String description) {
        this.description = description;
    }

    /** The backend an option value names ({@code software} or {@code softhsm2}), if any. */
    public static Optional<LocalBackend> named(String value) {
        return Arrays.stream(values()).filter(b -> b.optionValue().equals(value)).findFirst();
    }

    /** What {@code --backend} says for it. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For the run's first line: what keeps the keys. */
    public String description() {
        return description;
    }

    /** The token backend for a run whose files live under {@code work}. */
    public TokenBackend tokens(Path work) {
        return this == SOFTHSM2 ? TokenBackend.softHsm2(work.resolve("softhsm2")) : TokenBackend.software();
    }
}
