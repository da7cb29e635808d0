package dev.multislot.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multislot.api.spi.ClusterConfig;
import dev.multislot.config.internal.ConfigTreeReader;
import dev.multislot.config.internal.Json;
import dev.multislot.config.internal.JsonPath;
import dev.multislot.config.internal.RegularFileReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes config documents, within limits.
 *
 * <p>Reading refuses, with a {@link ConfigFileException} and nothing else: a file over the size
 * limit (checked before the content is read), invalid JSON (with line and column), duplicate keys,
 * nesting deeper than 200 levels, and every content problem {@link ConfigFile} checks. It never
 * touches the files the config refers to; {@link #checkReferencedFiles} does that.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigCodec {

    /** The default size limit of a config file: 1 MiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

    /**
     * The default limit on opening and reading a config file: 5 s. Only a file that is not a
     * regular file (a FIFO or device swapped in) or a hung file system takes that long.
     */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    private static final ConfigCodec DEFAULTS = new ConfigCodec(DEFAULT_MAX_FILE_SIZE, DEFAULT_READ_TIMEOUT);

    private final long maxFileSize;
    private final Duration readTimeout;
    private final ObjectMapper mapper;

    private ConfigCodec(long maxFileSize, Duration readTimeout) {
        this.maxFileSize = maxFileSize;
        this.readTimeout = readTimeout;
        this.mapper = Json.mapper(maxFileSize);
    }

    /** A codec with the default limits ({@value #DEFAULT_MAX_FILE_SIZE} bytes). */
    public static ConfigCodec defaults() {
        return DEFAULTS;
    }

    /**
     * A codec that refuses files over {@code maxFileSize} bytes.
     *
     * @throws IllegalArgumentException if {@code maxFileSize} is below 16 bytes or above 64 MiB
     */
    public static ConfigCodec withMaxFileSize(long maxFileSize) {
        if (maxFileSize < 16 || maxFileSize > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("maxFileSize must be 16 bytes to 64 MiB, was " + maxFileSize);
        }
        return maxFileSize == DEFAULT_MAX_FILE_SIZE ? DEFAULTS : new ConfigCodec(maxFileSize, DEFAULT_READ_TIMEOUT);
    }

    /**
     * This codec with another limit on how long opening and reading a file may take (default
     * {@link #DEFAULT_READ_TIMEOUT}); a read that takes longer fails with a {@link ConfigFileException}.
     *
     * @throws IllegalArgumentException unless 10 ms to 10 minutes
     */
    public ConfigCodec withReadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("readTimeout must be 10 ms to 10 minutes, was " + timeout);
        }
        return new ConfigCodec(maxFileSize, timeout);
    }

    /** How long opening and reading a config file may take. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The size limit of a config file, in bytes. */
    public long maxFileSize() {
        return maxFileSize;
    }

    /**
     * Parses config JSON text.
     *
     * @throws ConfigFileException if the text is not a valid config, or is over the size limit in UTF-8
     */
    public ConfigFile parse(String json) {
        Objects.requireNonNull(json, "json");
        return parse(json.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    /**
     * Parses config JSON bytes (UTF-8, UTF-16 or UTF-32; a byte order mark is allowed).
     *
     * @param source the file the bytes came from, named in errors
     * @throws ConfigFileException if the bytes are not a valid config, or are over the size limit
     */
    public ConfigFile parse(byte[] bytes, Optional<Path> source) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(source, "source");
        if (bytes.length > maxFileSize) {
            throw tooLarge(source, bytes.length);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw new ConfigFileException(source, Optional.empty(), "refused: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(source, Optional.empty(), "invalid JSON" + at(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException | RuntimeException e) {
            // Jackson reports some encoding errors as plain IOExceptions (CharConversionException).
            throw new ConfigFileException(source, Optional.empty(), "invalid JSON: " + firstLine(String.valueOf(e.getMessage())), e);
        }
        if (tree != null && !tree.isMissingNode() && !tree.isObject()) {
            throw new ConfigFileException(source, Optional.of(JsonPath.ROOT.toString()),
                    "expected a JSON object such as {\"clusters\": []}, got " + ConfigTreeReader.describe(tree), null);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ConfigFileException(source, Optional.empty(),
                    "the file is empty; expected a JSON object such as {\"clusters\": []}", null);
        }
        return ConfigFile.fromTree((ObjectNode) tree, source);
    }

    /**
     * Reads and parses the config file at {@code path}.
     *
     * @throws ConfigFileException if the file does not exist, cannot be read, is over the size limit or is not a valid config
     */
    public ConfigFile read(Path path) {
        return readIfExists(path).orElseThrow(() ->
                new ConfigFileException(Optional.of(path), Optional.empty(), "no such file", null));
    }

    /**
     * Reads and parses the config file at {@code path}; empty if there is no file there.
     *
     * @throws ConfigFileException if the file cannot be read, is over the size limit or is not a valid config
     */
    public Optional<ConfigFile> readIfExists(Path path) {
        Objects.requireNonNull(path, "path");
        Optional<byte[]> bytes = readBytes(path);
        return bytes.map(b -> parse(b, Optional.of(path)));
    }

    /**
     * The file's bytes, refusing anything but a regular file and a file over the limit before
     * reading it; empty if it does not exist. Never waits longer than the read timeout.
     */
    Optional<byte[]> readBytes(Path path) {
        Optional<Path> source = Optional.of(path);
        try {
            return RegularFileReader.read(path, maxFileSize, readTimeout);
        } catch (RegularFileReader.ReadProblem e) {
            throw new ConfigFileException(source, Optional.empty(), e.getMessage(), e);
        } catch (AccessDeniedException e) {
            throw new ConfigFileException(source, Optional.empty(), "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new ConfigFileException(source, Optional.empty(), "cannot read: " + e, e);
        }
    }

    /** The file's content for {@code file}: its {@link ConfigFile#toJson()} text in UTF-8. */
    public byte[] serialize(ConfigFile file) {
        byte[] bytes = file.toJson().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxFileSize) {
            throw tooLarge(Optional.empty(), bytes.length);
        }
        return bytes;
    }

    /**
     * Checks that the files a config refers to are there: each cluster's {@code hsm_ca_file} and,
     * when set, {@code client_cert_path} and {@code client_key_path} must be readable regular files.
     * A relative path is taken as the process takes it, from the working directory.
     *
     * @param source the config file, named in errors
     * @throws ConfigFileException naming the first file that is missing or unreadable, and its JSON path
     */
    public static void checkReferencedFiles(ConfigFile file, Optional<Path> source) {
        List<ClusterConfig> clusters = file.clusters();
        for (int i = 0; i < clusters.size(); i++) {
            ClusterConfig c = clusters.get(i);
            JsonPath at = JsonPath.ROOT.field("clusters").index(i).field("cluster");
            checkFile(c.hsmCaFile(), "CA certificate", at.field("hsm_ca_file"), source);
            if (c.clientCertFile().isPresent()) {
                checkFile(c.clientCertFile().get(), "client certificate", at.field("client_cert_path"), source);
            }
            if (c.clientKeyFile().isPresent()) {
                checkFile(c.clientKeyFile().get(), "client key", at.field("client_key_path"), source);
            }
        }
    }

    private static void checkFile(Path file, String what, JsonPath at, Optional<Path> source) {
        String problem = null;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                problem = "the " + what + " file " + file + " is not a regular file";
            } else if (!Files.isReadable(file)) {
                problem = "the " + what + " file " + file + " is not readable by this process: permission denied";
            }
        } catch (NoSuchFileException e) {
            problem = "the " + what + " file " + file + " does not exist";
        } catch (AccessDeniedException e) {
            // Files.exists says false here: a directory on the way cannot be searched, the file may well be there.
            problem = "the " + what + " file " + file + " cannot be reached: permission denied (on the file or a directory above it)";
        } catch (IOException e) {
            problem = "the " + what + " file " + file + " cannot be read: " + e;
        }
        if (problem != null) {
            throw new ConfigFileException(source, Optional.of(at.toString()), problem, null);
        }
    }

    private ConfigFileException tooLarge(Optional<Path> source, long size) {
        return new ConfigFileException(source, Optional.empty(), "the file is " + size
                + " bytes, over the limit of " + maxFileSize + " bytes", null);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable content";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
