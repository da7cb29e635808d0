package dev.multislot.config.internal;

import java.util.regex.Pattern;

/** A JSONPath-like location in the config tree, such as {@code $.clusters[1].cluster.servers[0].port}, for errors. */
public final class JsonPath {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The document root, {@code $}. */
    public static final JsonPath ROOT = new JsonPath("$");

    private final String text;

    private JsonPath(String text) {
        this.text = text;
    }

    public JsonPath field(String name) {
        if (PLAIN_NAME.matcher(name).matches()) {
            return new JsonPath(text + "." + name);
        }
        return new JsonPath(text + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']");
    }

    public JsonPath index(int i) {
        return new JsonPath(text + "[" + i + "]");
    }

    @Override
    public String toString() {
        return text;
    }
}
