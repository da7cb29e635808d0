package dev.multislot.discovery;

import java.util.Objects;

/**
 * A region and where it came from, so that an error can say both.
 *
 * @param region the region name, such as {@code eu-west-1}
 * @param source where it was found, in words, such as {@code "the AWS_REGION environment variable"}
 */
public record ResolvedRegion(String region, String source) {

    public ResolvedRegion {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(source, "source");
    }

    /** {@code "eu-west-1 (from the AWS_REGION environment variable)"}. */
    public String describe() {
        return region + " (from " + source + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
