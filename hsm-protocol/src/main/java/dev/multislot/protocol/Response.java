package dev.multislot.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The body of a response frame. Which record a successful response holds follows from its
 * opcode (see {@link FrameCodec}); a failed one always holds an {@link Error}.
 */
public sealed interface Response {

    /** The status this response is sent with: {@link Status#OK} except for {@link Error}. */
    default Status status() {
        return Status.OK;
    }

    /** Answer to HELLO: who the HSM is and what it accepts on this connection. */
    record HelloOk(int protocolVersion, String hsmId, String clusterId, int maxInFlight, int maxFrameSize)
            implements Response {
        public HelloOk {
            Objects.requireNonNull(hsmId, "hsmId");
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    /** Answer with no body: LOGIN, LOGOUT, DELETE_KEY. */
    record Done() implements Response {}

    /** Answer to GENERATE_KEY and GET_KEY; also the element of {@link KeyList}. */
    record KeyInfo(long handle, WireKeyType keyType, String label) implements Response {
        public KeyInfo {
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(label, "label");
        }
    }

    /** Answer to FIND_KEYS, in handle order. */
    record KeyList(List<KeyInfo> keys) implements Response {
        public KeyList {
            keys = List.copyOf(keys);
        }
    }

    /** Answer carrying bytes: PING (the echo), GET_PUBLIC_KEY (DER), SIGN, DECRYPT, RANDOM. */
    record Bytes(byte[] value) implements Response {
        public Bytes {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Answer to VERIFY. */
    record Verified(boolean valid) implements Response {}

    /** Answer to ENCRYPT: the IV chosen and the ciphertext with its tag. */
    record Encrypted(byte[] iv, byte[] ciphertext) implements Response {
        public Encrypted {
            Objects.requireNonNull(iv, "iv");
            Objects.requireNonNull(ciphertext, "ciphertext");
        }
    }

    /** A failed request: a status other than OK and a message for humans (never secrets). */
    record Error(Status status, String message) implements Response {
        public Error {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(message, "message");
            if (status == Status.OK) {
                throw new IllegalArgumentException("an error response needs a status other than OK");
            }
        }
    }
}
