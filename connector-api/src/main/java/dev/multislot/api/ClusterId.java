package dev.multislot.api;

import java.util.Objects;

/**
 * The identifier of one HSM cluster, such as {@code cluster-1234567}.
 *
 * <p>A cluster id names a slot for its whole life in a connector: the slot of a cluster keeps
 * its {@link SlotId} across config reloads. Any non-blank string is accepted here, because a
 * config file that names its HSMs by address only has no AWS cluster id; tools that talk to
 * AWS check the {@code cluster-} form themselves ({@link #looksLikeAwsClusterId()}).
 *
 * @param value the identifier, never blank
 */
public record ClusterId(String value) implements Comparable<ClusterId> {

    public ClusterId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("cluster id must not be blank");
        }
    }

    /** Shorthand for {@code new ClusterId(value)}. */
    public static ClusterId of(String value) {
        return new ClusterId(value);
    }

    /**
     * Whether this id has the form AWS gives cluster ids: {@code cluster-} followed by letters
     * and digits (for example {@code cluster-1234567} or {@code cluster-jxhlf7644ne}).
     */
    public boolean looksLikeAwsClusterId() {
        return value.matches("cluster-[A-Za-z0-9]+");
    }

    @Override
    public int compareTo(ClusterId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
