package dev.multislot.local.controlplane;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The control plane's {@code NextToken}: an offset into the sorted matching clusters, bound to the
 * query it came from so that a token reused with other filters is refused, as AWS refuses it.
 * Clients must treat it as opaque; its encoding may change.
 */
final class PageToken {

    private static final String PREFIX = "mslp1:";

    private PageToken() {
    }

    static String encode(int offset, int queryHash) {
        String raw = PREFIX + offset + ":" + Integer.toHexString(queryHash);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** The offset the token holds, if it is one of ours for this query. */
    static Optional<Integer> decode(String token, int queryHash) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
            if (!raw.startsWith(PREFIX)) {
                return Optional.empty();
            }
            String[] parts = raw.substring(PREFIX.length()).split(":", -1);
            if (parts.length != 2 || !parts[1].equals(Integer.toHexString(queryHash))) {
                return Optional.empty();
            }
            int offset = Integer.parseInt(parts[0]);
            return offset < 0 ? Optional.empty() : Optional.of(offset);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
