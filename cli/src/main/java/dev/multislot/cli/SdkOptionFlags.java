package dev.multislot.cli;

import dev.multislot.api.spi.ClusterOptions;
import picocli.CommandLine.Option;

/**
 * The SDK's per-cluster options of the configure form, written to {@code clusters[].cluster.options}
 * of every cluster, or of the one {@code --cluster-id} (or {@code -a}) selects.
 */
final class SdkOptionFlags {

    @Option(names = "--disable-key-availability-check",
            description = "Use a key even when only one HSM of the cluster holds it"
                    + " (writes options.disable_key_availability_check: true).")
    boolean disableKeyAvailabilityCheck;

    @Option(names = "--enable-key-availability-check",
            description = "Refuse a key that fewer than two HSMs of the cluster hold, and complete key generation only once"
                    + " a second HSM holds the key (the default; writes options.disable_key_availability_check: false)."
                    + " A cluster of one HSM is not affected.")
    boolean enableKeyAvailabilityCheck;

    @Option(names = "--disable-validate-key-at-init",
            description = "For the SDK's own library: do not validate key parameters when a crypto operation starts"
                    + " (the default; writes options.validate_key_at_init: false).")
    boolean disableValidateKeyAtInit;

    @Option(names = "--enable-validate-key-at-init",
            description = "For the SDK's own library: validate key parameters when a crypto operation starts"
                    + " (writes options.validate_key_at_init: true). Multislot always checks a key's type against the"
                    + " mechanism before sending.")
    boolean enableValidateKeyAtInit;

    @Option(names = "--default-retry-mode", paramLabel = "off|standard",
            description = "What to do when an HSM answers \"busy\": standard retries up to 3 times with exponential backoff,"
                    + " off fails at once (writes options.default_retry_mode; without it the connector's retryMode option decides).")
    String defaultRetryMode;

    boolean any() {
        return disableKeyAvailabilityCheck || enableKeyAvailabilityCheck || disableValidateKeyAtInit
                || enableValidateKeyAtInit || defaultRetryMode != null;
    }

    /** Fails on contradictory flags (usage) or an unknown retry mode (bad input). */
    void check() {
        if (disableKeyAvailabilityCheck && enableKeyAvailabilityCheck) {
            throw CliException.usage("--disable-key-availability-check and --enable-key-availability-check: give one of them");
        }
        if (disableValidateKeyAtInit && enableValidateKeyAtInit) {
            throw CliException.usage("--disable-validate-key-at-init and --enable-validate-key-at-init: give one of them");
        }
        if (defaultRetryMode != null && !ClusterOptions.RETRY_MODES.contains(defaultRetryMode)) {
            throw CliException.badInput("--default-retry-mode " + OptionChecks.shown(defaultRetryMode) + ": expected off or standard");
        }
    }

    ClusterOptions applyTo(ClusterOptions o) {
        ClusterOptions r = o;
        if (disableKeyAvailabilityCheck || enableKeyAvailabilityCheck) {
            r = r.withKeyAvailabilityCheck(enableKeyAvailabilityCheck);
        }
        if (disableValidateKeyAtInit || enableValidateKeyAtInit) {
            r = r.withValidateKeyAtInit(enableValidateKeyAtInit);
        }
        if (defaultRetryMode != null) {
            r = r.withDefaultRetryMode(defaultRetryMode);
        }
        return r;
    }
}
