package dev.multislot.examples.signing;

import dev.multislot.api.KeyRef;
import java.util.List;

/** The JSON bodies of the API. */
final class Dtos {

    private Dtos() {
    }

    /** {@code POST /v1/slots/{clusterId}/keys}. */
    record CreateKey(String type, String label) {
    }

    /** A key as the API shows it. */
    record Key(long handle, String label, String type) {
        static Key of(KeyRef ref) {
            return new Key(ref.handle(), ref.label(), ref.type().name());
        }
    }

    /** {@code POST .../verify}: base64 message and signature. */
    record Verify(String message, String signature) {
    }

    /** The answer of {@code .../verify}. */
    record Verified(boolean valid) {
    }

    /** One slot in {@code GET /v1/slots}. */
    record SlotView(String clusterId, int slotIndex, List<String> hsms, String health, int hsmsUp, int pendingRequests) {
    }
}
