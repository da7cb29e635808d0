package dev.multislot.api.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The per-cluster settings of the CloudHSM Client SDK 5 that a config file may carry
 * ({@code clusters[].cluster.options} in the file), with the SDK's defaults when absent.
 *
 * <p>A value: two options are equal when every field is, so a reload tells a changed setting
 * from an unchanged one.
 *
 * @param keyAvailabilityCheck whether a key must be held by at least two HSMs of the cluster
 *     before it is used ({@code disable_key_availability_check: false}, the SDK's default: on)
 * @param validateKeyAtInit whether the SDK's own library checks a key's parameters when a crypto
 *     operation starts ({@code validate_key_at_init}; default off). Kept and shown for the SDK when
 *     it shares the file; Multislot always checks a key's type against the mechanism before sending.
 * @param defaultRetryMode {@code "off"} or {@code "standard"} ({@code default_retry_mode}); empty
 *     means the connector's own option decides
 */
public record ClusterOptions(boolean keyAvailabilityCheck, boolean validateKeyAtInit, Optional<String> defaultRetryMode) {

    /** The retry modes the SDK knows, in the spelling the file uses. */
    public static final Set<String> RETRY_MODES = Set.of("off", "standard");

    /** The SDK's defaults: key availability check on, no validation at init, retry mode from the connector. */
    public static final ClusterOptions DEFAULTS = new ClusterOptions(true, false, Optional.empty());

    public ClusterOptions {
        Objects.requireNonNull(defaultRetryMode, "defaultRetryMode");
        defaultRetryMode.ifPresent(m -> {
            if (!RETRY_MODES.contains(m)) {
                throw new IllegalArgumentException("default retry mode must be off or standard, was " + m);
            }
        });
    }

    /** These options with the key availability check on or off. */
    public ClusterOptions withKeyAvailabilityCheck(boolean on) {
        return new ClusterOptions(on, validateKeyAtInit, defaultRetryMode);
    }

    /** These options with key validation at init on or off. */
    public ClusterOptions withValidateKeyAtInit(boolean on) {
        return new ClusterOptions(keyAvailabilityCheck, on, defaultRetryMode);
    }

    /** These options with another default retry mode ({@code "off"} or {@code "standard"}). */
    public ClusterOptions withDefaultRetryMode(String mode) {
        return new ClusterOptions(keyAvailabilityCheck, validateKeyAtInit, Optional.of(mode));
    }
}
