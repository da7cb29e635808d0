package dev.multislot.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The config file cannot be used: its content is invalid, it is too large, or it cannot be read,
 * locked or written.
 *
 * <p>This is the only exception the config store throws for a bad file, whatever is wrong with
 * it. The message names the file (when there is one), the JSON path of the bad value (when the
 * problem has one) and the problem, for example
 * {@code /opt/cloudhsm/etc/cloudhsm-pkcs11.cfg: $.clusters[1].cluster.servers[0].port: expected an
 * integer from 1 to 65535, got 70000}. Invalid JSON is reported with its line and column.
 * The config file holds no secrets, so messages may quote its values.
 */
public final class ConfigFileException extends RuntimeException {

    // Plain nullable strings: Optional and Path are not serializable, exceptions are.
    private final String path;
    private final String jsonPath;
    private final String problem;

    /**
     * @param path the config file, if the content came from one
     * @param jsonPath where in the document the problem is (such as {@code $.clusters[0].cluster}), if anywhere
     * @param problem what is wrong, in words
     * @param cause the underlying error, or {@code null}
     */
    public ConfigFileException(Optional<Path> path, Optional<String> jsonPath, String problem, Throwable cause) {
        super(message(path, jsonPath, problem), cause);
        this.path = path.map(Path::toString).orElse(null);
        this.jsonPath = jsonPath.orElse(null);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The config file the problem is in, if the content came from a file. */
    public Optional<Path> path() {
        return Optional.ofNullable(path).map(Path::of);
    }

    /** The JSON path of the bad value, such as {@code $.clusters[1].cluster.servers[0].port}, if the problem has one. */
    public Optional<String> jsonPath() {
        return Optional.ofNullable(jsonPath);
    }

    /** What is wrong, without the file and the JSON path. */
    public String problem() {
        return problem;
    }

    private static String message(Optional<Path> path, Optional<String> jsonPath, String problem) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(jsonPath, "jsonPath");
        StringBuilder sb = new StringBuilder();
        path.ifPresent(p -> sb.append(p).append(": "));
        jsonPath.ifPresent(j -> sb.append(j).append(": "));
        return sb.append(problem).toString();
    }
}
