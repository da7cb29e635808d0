package dev.multislot.spring;

/**
 * A {@code multislot.*} property holds a value the connector refuses. The message names the
 * property, the value and what was expected; the application does not start.
 */
public class MultislotPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String property;

    public MultislotPropertyException(String property, String message) {
        super(property + ": " + message);
        this.property = property;
    }

    /** The property at fault, e.g. {@code multislot.slots.cluster-abc.max-pending-requests}. */
    public String property() {
        return property;
    }
}
