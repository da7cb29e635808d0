package dev.multislot.api.errors;

import dev.multislot.api.ClusterId;
import dev.multislot.api.HsmAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * No HSM of the slot can take the request: all are down, or their breakers are open. Fails fast,
 * without waiting for a timeout. {@link #errors()} holds the last error seen from each HSM.
 */
public class SlotUnavailableException extends HsmConnectorException {

    private final Map<HsmAddress, Throwable> errors;

    public SlotUnavailableException(String message, ClusterId clusterId, Map<HsmAddress, Throwable> errors) {
        super(message + describe(errors), clusterId, null, errors.isEmpty() ? null : errors.values().iterator().next());
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        errors.values().stream().skip(1).forEach(this::addSuppressed);
    }

    private static String describe(Map<HsmAddress, Throwable> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        errors.forEach((hsm, error) -> sb.append(sb.length() > 2 ? "; " : "").append(hsm).append(": ")
                .append(error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName()));
        return sb.append(')').toString();
    }

    /** The last error from each HSM of the slot, by HSM, in address order. */
    public Map<HsmAddress, Throwable> errors() {
        return errors;
    }
}
