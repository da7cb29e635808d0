package dev.multislot.config.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Jackson setup for config files: strict JSON, numbers kept exactly as written (so unknown
 * content survives a rewrite), duplicate keys refused, and the SDK's pretty-printing style.
 */
public final class Json {

    /** Deep enough for any sane unknown content, shallow enough that no recursion over the tree can overflow. */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final ObjectWriter PRETTY;

    static {
        // "key": value, two-space indentation for objects and arrays, [] and {} when empty: what the SDK tool writes.
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withArrayEmptySeparator("")
                .withObjectEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withSeparators(separators);
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentArraysWith(indenter);
        printer.indentObjectsWith(indenter);
        PRETTY = mapper(Long.MAX_VALUE).writer(printer);
    }

    private Json() {
    }

    /** A mapper that reads documents of at most {@code maxLength} bytes. */
    public static ObjectMapper mapper(long maxLength) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxDocumentLength(maxLength)
                        .build())
                .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
        mapper.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        return mapper;
    }

    /** The node factory every tree of a config file is built with. */
    public static JsonNodeFactory nodes() {
        return JsonNodeFactory.withExactBigDecimals(true);
    }

    /** The tree as pretty-printed JSON text ending with a newline. */
    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + "\n";
        } catch (IOException e) {
            // Writing a validated tree to a String cannot fail; if it does, it is a bug, not bad input.
            throw new UncheckedIOException("cannot serialize a config tree", e);
        }
    }
}
