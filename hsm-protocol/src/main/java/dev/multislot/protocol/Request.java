package dev.multislot.protocol;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of a request frame, one record per opcode. Byte arrays are held as given, not copied:
 * messages are short-lived and passed straight to the codec.
 */
public sealed interface Request {

    /** The opcode this request is sent with. */
    Opcode opcode();

    /** First frame of every connection: the client's protocol version and name. */
    record Hello(int protocolVersion, String clientName) implements Request {
        public Hello {
            Objects.requireNonNull(clientName, "clientName");
        }

        public Opcode opcode() {
            return Opcode.HELLO;
        }
    }

    /** Keepalive: the HSM echoes the payload. */
    record Ping(byte[] payload) implements Request {
        public Ping {
            Objects.requireNonNull(payload, "payload");
        }

        public Opcode opcode() {
            return Opcode.PING;
        }
    }

    /** Logs a crypto user in on this connection. The password is UTF-8; never printed. */
    record Login(String username, byte[] password) implements Request {
        public Login {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        public Opcode opcode() {
            return Opcode.LOGIN;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Login l && username.equals(l.username) && Arrays.equals(password, l.password);
        }

        @Override
        public int hashCode() {
            return username.hashCode();
        }

        @Override
        public String toString() {
            return "Login[username=" + username + ", password=****]";
        }
    }

    /** Ends this connection's login. */
    record Logout() implements Request {
        public Opcode opcode() {
            return Opcode.LOGOUT;
        }
    }

    /** Generates a secret key or a key pair with a label. */
    record GenerateKey(WireKeyType keyType, String label) implements Request {
        public GenerateKey {
            Objects.requireNonNull(keyType, "keyType");
            Objects.requireNonNull(label, "label");
        }

        public Opcode opcode() {
            return Opcode.GENERATE_KEY;
        }
    }

    /** Finds keys: those with this label, or all keys when the label is empty (absent). */
    record FindKeys(Optional<String> label) implements Request {
        public FindKeys {
            Objects.requireNonNull(label, "label");
        }

        public Opcode opcode() {
            return Opcode.FIND_KEYS;
        }
    }

    /** Describes one key by handle. */
    record GetKey(long handle) implements Request {
        public Opcode opcode() {
            return Opcode.GET_KEY;
        }
    }

    /** The X.509 SubjectPublicKeyInfo (DER) of a key pair's public half. */
    record GetPublicKey(long handle) implements Request {
        public Opcode opcode() {
            return Opcode.GET_PUBLIC_KEY;
        }
    }

    /** Deletes a key. */
    record DeleteKey(long handle) implements Request {
        public Opcode opcode() {
            return Opcode.DELETE_KEY;
        }
    }

    /** Signs (or MACs) data; the HSM hashes it. */
    record Sign(long handle, Mechanism mechanism, byte[] data) implements Request {
        public Sign {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(data, "data");
        }

        public Opcode opcode() {
            return Opcode.SIGN;
        }
    }

    /** Verifies a signature (or MAC) of data. */
    record Verify(long handle, Mechanism mechanism, byte[] data, byte[] signature) implements Request {
        public Verify {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(signature, "signature");
        }

        public Opcode opcode() {
            return Opcode.VERIFY;
        }
    }

    /** Encrypts with a fresh IV chosen by the HSM. */
    record Encrypt(long handle, Mechanism mechanism, byte[] plaintext, byte[] aad) implements Request {
        public Encrypt {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(plaintext, "plaintext");
            Objects.requireNonNull(aad, "aad");
        }

        public Opcode opcode() {
            return Opcode.ENCRYPT;
        }
    }

    /** Decrypts and authenticates. */
    record Decrypt(long handle, Mechanism mechanism, byte[] iv, byte[] ciphertext, byte[] aad) implements Request {
        public Decrypt {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(iv, "iv");
            Objects.requireNonNull(ciphertext, "ciphertext");
            Objects.requireNonNull(aad, "aad");
        }

        public Opcode opcode() {
            return Opcode.DECRYPT;
        }
    }

    /** Random bytes from the HSM's generator. */
    record Random(int length) implements Request {
        public Opcode opcode() {
            return Opcode.RANDOM;
        }
    }
}
