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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    private static final ConfigCodec DEFAULTS = new ConfigCodec(DEFAULT_MAX_FILE_SIZE);

    private final long maxFileSize;
    private final ObjectMapper mapper;

    private ConfigCodec(long maxFileSize) {
        this.maxFileSize = maxFileSize;
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
        return maxFileSize == DEFAULT_MAX_FILE_SIZE ? DEFAULTS : new ConfigCodec(maxFileSize);
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

    /** The file's bytes, refusing a file over the limit before reading it; empty if it does not exist. */
    Optional<byte[]> readBytes(Path path) {
        Optional<Path> source = Optional.of(path);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new ConfigFileException(source, Optional.empty(), "is a directory; expected a config file", null);
            }
            try (SeekableByteChannel channel = Files.newByteChannel(path)) {
                long size = channel.size();
                if (size > maxFileSize) {
                    throw tooLarge(source, size);
                }
                // The file may grow between the size check and the read: read at most one byte past the limit.
                InputStream in = Channels.newInputStream(channel);
                ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(size, 64));
                byte[] buffer = new byte[8192];
                long total = 0;
                int n;
                while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxFileSize + 1 - total))) > 0) {
                    out.write(buffer, 0, n);
                    total += n;
                    if (total > maxFileSize) {
                        throw new ConfigFileException(source, Optional.empty(), "the file grew over the limit of "
                                + maxFileSize + " bytes while being read", null);
                    }
                }
                return Optional.of(out.toByteArray());
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
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
        if (!Files.exists(file)) {
            problem = "the " + what + " file " + file + " does not exist";
        } else if (!Files.isRegularFile(file)) {
            problem = "the " + what + " file " + file + " is not a regular file";
        } else if (!Files.isReadable(file)) {
            problem = "the " + what + " file " + file + " is not readable by this process";
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
