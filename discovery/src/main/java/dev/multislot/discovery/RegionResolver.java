package dev.multislot.discovery;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Chooses the AWS region to ask when looking up a cluster, in this order (the first that gives a
 * region wins):
 * <ol>
 *   <li>the region given explicitly ({@code --region}, or the cluster's {@code region} in the config);</li>
 *   <li>the {@code AWS_DEFAULT_REGION} environment variable;</li>
 *   <li>the {@code AWS_REGION} environment variable;</li>
 *   <li>the {@code region} of the active profile ({@code AWS_PROFILE}, else {@code default}) in the
 *       AWS config file ({@code AWS_CONFIG_FILE}, else {@code ~/.aws/config}); a named profile is the
 *       section {@code [profile NAME]}, the default one {@code [default]};</li>
 *   <li>{@value #DEFAULT_REGION}.</li>
 * </ol>
 * Blank values count as unset. The AWS SDK's own chain does not read {@code AWS_DEFAULT_REGION};
 * this one does, first among the variables, as the AWS CLI and the CloudHSM tools do.
 *
 * <p>The environment and the home directory are given at construction ({@link #of(Map, Path)}),
 * so tests never change process state; {@link #fromSystem()} uses the real ones. A resolver is
 * immutable and thread-safe. {@link #resolve(Optional)} may read the config file: call it where
 * blocking is allowed, not on an event loop.
 *
 * <pre>{@code
 * ResolvedRegion r = RegionResolver.fromSystem().resolve(Optional.empty());
 * // r.region() = "eu-west-1", r.source() = "the AWS_REGION environment variable"
 * }</pre>
 */
public final class RegionResolver {

    /** The region used when nothing else names one. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final Map<String, String> environment;
    private final Path homeDirectory;

    private RegionResolver(Map<String, String> environment, Path homeDirectory) {
        this.environment = Map.copyOf(environment);
        this.homeDirectory = homeDirectory;
    }

    /** A resolver over this process's environment and the {@code user.home} directory. */
    public static RegionResolver fromSystem() {
        return of(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * A resolver over the given environment and home directory.
     *
     * @param environment environment variables by name (copied)
     * @param homeDirectory the directory that {@code ~} stands for
     */
    public static RegionResolver of(Map<String, String> environment, Path homeDirectory) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(homeDirectory, "homeDirectory");
        return new RegionResolver(environment, homeDirectory);
    }

    /**
     * The region to use.
     *
     * @param explicit a region given explicitly, which wins if present and not blank
     * @return the region and where it came from
     * @throws IllegalArgumentException if the winning value is not a region name (such as
     *         {@code us-east-1}), or the config file cannot be parsed; the message names the value
     *         or file and where it came from
     * @throws UncheckedIOException if the config file exists but cannot be read
     */
    public ResolvedRegion resolve(Optional<String> explicit) {
        Objects.requireNonNull(explicit, "explicit");
        Optional<String> given = explicit.map(String::trim).filter(s -> !s.isEmpty());
        if (given.isPresent()) {
            return checked(given.get(), "--region or the cluster's configured region");
        }
        for (String variable : new String[] {"AWS_DEFAULT_REGION", "AWS_REGION"}) {
            Optional<String> value = env(variable);
            if (value.isPresent()) {
                return checked(value.get(), "the " + variable + " environment variable");
            }
        }
        Path file = configFile();
        String profile = profileName();
        Optional<String> fromProfile = profileRegion(file, profile);
        if (fromProfile.isPresent()) {
            return checked(fromProfile.get(), "profile '" + profile + "' in " + file);
        }
        return new ResolvedRegion(DEFAULT_REGION, "the default, as no region is set (checked AWS_DEFAULT_REGION, "
                + "AWS_REGION and profile '" + profile + "' in " + file + ")");
    }

    /** The AWS config file this resolver reads: {@code AWS_CONFIG_FILE} ({@code ~} expanded), else {@code ~/.aws/config}. */
    public Path configFile() {
        return env("AWS_CONFIG_FILE").map(this::expandHome).orElse(homeDirectory.resolve(".aws").resolve("config"));
    }

    /** The active profile: {@code AWS_PROFILE}, else {@code default}. */
    public String profileName() {
        return env("AWS_PROFILE").orElse("default");
    }

    private Optional<String> profileRegion(Path file, String profile) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        ProfileFile parsed;
        try {
            parsed = ProfileFile.builder().content(file).type(ProfileFile.Type.CONFIGURATION).build();
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot read the AWS config file " + file + ": " + e.getCause().getMessage(), e.getCause());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse the AWS config file " + file + ": " + e.getMessage(), e);
        }
        return parsed.profile(profile)
                .flatMap((Profile p) -> p.property("region"))
                .map(String::trim)
                .filter(s -> !s.isEmpty());
    }

    private Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private Path expandHome(String path) {
        if (path.equals("~")) {
            return homeDirectory;
        }
        if (path.startsWith("~/")) {
            return homeDirectory.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    private static ResolvedRegion checked(String region, String source) {
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(source + " holds '" + region
                    + "', which is not a region name (expected lower-case letters, digits and dashes, such as us-east-1)");
        }
        return new ResolvedRegion(region, source);
    }

    @Override
    public String toString() {
        return "RegionResolver[config file " + configFile() + ", profile " + profileName() + "]";
    }
}
