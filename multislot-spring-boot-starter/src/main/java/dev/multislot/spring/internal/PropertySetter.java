package dev.multislot.spring.internal;

import dev.multislot.spring.MultislotPropertyException;
import java.util.function.Consumer;

/** Hands one property's value to a builder setter, and names the property when the setter refuses it. */
final class PropertySetter {

    private final String prefix;

    PropertySetter(String prefix) {
        this.prefix = prefix;
    }

    PropertySetter nested(String name) {
        return new PropertySetter(prefix + name + ".");
    }

    /** Calls {@code setter} when {@code value} is set; an unset property keeps what the builder has. */
    <T> void set(String name, T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new MultislotPropertyException(prefix + name, "'" + value + "' is not valid: " + e.getMessage());
        }
    }

    String name(String name) {
        return prefix + name;
    }
}
