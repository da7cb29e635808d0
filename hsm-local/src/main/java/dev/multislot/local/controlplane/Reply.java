package dev.multislot.local.controlplane;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An answer of the control plane: an HTTP status and an AWS JSON 1.1 body.
 *
 * @param status the HTTP status
 * @param errorType the AWS error type (the body's {@code __type}), or {@code null} for a success
 * @param body the JSON body
 */
record Reply(int status, String errorType, ObjectNode body) {

    static Reply ok(ObjectNode body) {
        return new Reply(200, null, body);
    }

    /** An AWS JSON 1.1 error: {@code {"__type": type, "message": message}}. */
    static Reply error(int status, String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", type);
        body.put("message", message);
        return new Reply(status, type, body);
    }

    static Reply invalidRequest(String message) {
        return error(400, "CloudHsmInvalidRequestException", message);
    }
}
