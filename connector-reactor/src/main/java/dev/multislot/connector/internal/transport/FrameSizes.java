package dev.multislot.connector.internal.transport;

import dev.multislot.protocol.ProtocolConstants;
import dev.multislot.protocol.Request;

/**
 * The exact encoded size of a request frame (without its 4-byte length prefix), so that a request
 * too large for the negotiated frame limit fails on its own instead of breaking its connection.
 */
public final class FrameSizes {

    private FrameSizes() {
    }

    public static long encodedLength(Request r) {
        long payload;
        if (r instanceof Request.Sign s) {
            payload = 8 + 1 + 4L + s.data().length;
        } else if (r instanceof Request.Verify v) {
            payload = 8 + 1 + 4L + v.data().length + 4L + v.signature().length;
        } else if (r instanceof Request.Encrypt e) {
            payload = 8 + 1 + 4L + e.plaintext().length + 4L + e.aad().length;
        } else if (r instanceof Request.Decrypt d) {
            payload = 8 + 1 + 4L + d.iv().length + 4L + d.ciphertext().length + 4L + d.aad().length;
        } else if (r instanceof Request.Random) {
            payload = 4;
        } else if (r instanceof Request.GetKey || r instanceof Request.GetPublicKey || r instanceof Request.DeleteKey) {
            payload = 8;
        } else if (r instanceof Request.FindKeys f) {
            payload = 1 + f.label().map(l -> 2L + utf8Length(l)).orElse(0L);
        } else if (r instanceof Request.GenerateKey g) {
            payload = 1 + 2L + utf8Length(g.label());
        } else if (r instanceof Request.Login l) {
            payload = 2L + utf8Length(l.username()) + 4L + l.password().length;
        } else if (r instanceof Request.Ping p) {
            payload = 4L + p.payload().length;
        } else if (r instanceof Request.Hello h) {
            payload = 2 + 2L + utf8Length(h.clientName());
        } else {
            payload = 0;
        }
        return ProtocolConstants.HEADER_SIZE + payload;
    }

    /** UTF-8 length of a string without encoding it. */
    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
