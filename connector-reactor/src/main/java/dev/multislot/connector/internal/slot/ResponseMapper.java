package dev.multislot.connector.internal.slot;

import dev.multislot.api.HsmAddress;
import dev.multislot.api.errors.HsmConnectorException;
import dev.multislot.protocol.Response;

/** Turns a successful answer into the value a session operation returns. */
@FunctionalInterface
interface ResponseMapper<T> {

    /**
     * @param response the answer, its status OK
     * @param hsm the HSM that answered, for error messages
     * @throws HsmConnectorException if the answer is not what the operation expects
     */
    T map(Response response, HsmAddress hsm);
}
