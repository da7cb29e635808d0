package dev.multislot.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes frames; the layout is specified in {@code docs/protocol.md}.
 *
 * <p>Decoding never trusts a length field: every field is checked against the bytes left in the
 * frame before anything is allocated, so a frame can never make the decoder allocate more than
 * the frame's own size. Anything malformed is a {@link ProtocolViolationException}.
 */
public final class FrameCodec {

    static final int KIND_REQUEST = 0;
    static final int KIND_RESPONSE = 1;

    private FrameCodec() {
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Writes a request frame, length prefix included, to {@code out}.
     *
     * @throws IllegalArgumentException if a string field is over 65,535 UTF-8 bytes or the
     *     HELLO version is outside 0..65,535
     */
    public static void encodeRequest(RequestFrame frame, ByteBuf out) {
        encodeRequest(frame.requestId(), frame.request(), out);
    }

    /**
     * Writes a request frame with id {@code requestId}, length prefix included, to {@code out}:
     * for a client that keeps the id beside its request instead of wrapping both in a
     * {@link RequestFrame} per write.
     *
     * @throws IllegalArgumentException as {@link #encodeRequest(RequestFrame, ByteBuf)}
     */
    public static void encodeRequest(int requestId, Request r, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        writeHeader(out, KIND_REQUEST, r.opcode(), Status.OK, requestId);
        if (r instanceof Request.Hello h) {
            writeU16(out, h.protocolVersion(), "protocolVersion");
            writeString(out, h.clientName());
        } else if (r instanceof Request.Ping p) {
            writeBytes(out, p.payload());
        } else if (r instanceof Request.Login l) {
            writeString(out, l.username());
            writeBytes(out, l.password());
        } else if (r instanceof Request.Logout) {
            // no payload
        } else if (r instanceof Request.GenerateKey g) {
            out.writeByte(g.keyType().code());
            writeString(out, g.label());
        } else if (r instanceof Request.FindKeys f) {
            out.writeByte(f.label().isPresent() ? 1 : 0);
            f.label().ifPresent(label -> writeString(out, label));
        } else if (r instanceof Request.GetKey g) {
            out.writeLong(g.handle());
        } else if (r instanceof Request.GetPublicKey g) {
            out.writeLong(g.handle());
        } else if (r instanceof Request.DeleteKey d) {
            out.writeLong(d.handle());
        } else if (r instanceof Request.Sign sg) {
            out.writeLong(sg.handle());
            out.writeByte(sg.mechanism().code());
            writeBytes(out, sg.data());
        } else if (r instanceof Request.Verify v) {
            out.writeLong(v.handle());
            out.writeByte(v.mechanism().code());
            writeBytes(out, v.data());
            writeBytes(out, v.signature());
        } else if (r instanceof Request.Encrypt e) {
            out.writeLong(e.handle());
            out.writeByte(e.mechanism().code());
            writeBytes(out, e.plaintext());
            writeBytes(out, e.aad());
        } else if (r instanceof Request.Decrypt d) {
            out.writeLong(d.handle());
            out.writeByte(d.mechanism().code());
            writeBytes(out, d.iv());
            writeBytes(out, d.ciphertext());
            writeBytes(out, d.aad());
        } else if (r instanceof Request.Random rnd) {
            out.writeInt(rnd.length());
        } else {
            throw new IllegalArgumentException("unknown request " + r.getClass());
        }
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /**
     * Writes a response frame, length prefix included, to {@code out}.
     *
     * @throws IllegalArgumentException if the response record does not answer the frame's opcode
     *     (an {@link Response.Error} answers any), a string field is over 65,535 UTF-8 bytes, or
     *     the HELLO version is outside 0..65,535
     */
    public static void encodeResponse(ResponseFrame frame, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        Response r = frame.response();
        if (!answers(frame.opcode(), r)) {
            // The peer would decode these bytes as another record or refuse them and drop the
            // connection: fail here, where the mistake is.
            throw new IllegalArgumentException("a " + r.getClass().getSimpleName() + " does not answer "
                    + frame.opcode() + "; see docs/protocol.md for each opcode's response");
        }
        writeHeader(out, KIND_RESPONSE, frame.opcode(), r.status(), frame.requestId());
        if (r instanceof Response.HelloOk h) {
            writeU16(out, h.protocolVersion(), "protocolVersion");
            writeString(out, h.hsmId());
            writeString(out, h.clusterId());
            out.writeInt(h.maxInFlight());
            out.writeInt(h.maxFrameSize());
        } else if (r instanceof Response.Done) {
            // no payload
        } else if (r instanceof Response.KeyInfo k) {
            writeKeyInfo(out, k);
        } else if (r instanceof Response.KeyList l) {
            out.writeInt(l.keys().size());
            l.keys().forEach(k -> writeKeyInfo(out, k));
        } else if (r instanceof Response.Bytes b) {
            writeBytes(out, b.value());
        } else if (r instanceof Response.Verified v) {
            out.writeByte(v.valid() ? 1 : 0);
        } else if (r instanceof Response.Encrypted e) {
            writeBytes(out, e.iv());
            writeBytes(out, e.ciphertext());
        } else if (r instanceof Response.Error e) {
            writeString(out, e.message());
        } else {
            throw new IllegalArgumentException("unknown response " + r.getClass());
        }
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /** Whether {@code r} is the response type {@link #decodeResponse} reads for {@code op}. */
    private static boolean answers(Opcode op, Response r) {
        if (r instanceof Response.Error) {
            return true;
        }
        return switch (op) {
            case HELLO -> r instanceof Response.HelloOk;
            case LOGIN, LOGOUT, DELETE_KEY -> r instanceof Response.Done;
            case GENERATE_KEY, GET_KEY -> r instanceof Response.KeyInfo;
            case FIND_KEYS -> r instanceof Response.KeyList;
            case PING, GET_PUBLIC_KEY, SIGN, DECRYPT, RANDOM -> r instanceof Response.Bytes;
            case VERIFY -> r instanceof Response.Verified;
            case ENCRYPT -> r instanceof Response.Encrypted;
        };
    }

    private static void writeU16(ByteBuf out, int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            // writeShort would silently keep the low 16 bits.
            throw new IllegalArgumentException(field + " must be 0..65535, was " + value);
        }
        out.writeShort(value);
    }

    private static void writeHeader(ByteBuf out, int kind, Opcode op, Status status, int requestId) {
        out.writeByte(kind);
        out.writeByte(op.code());
        out.writeShort(status.code());
        out.writeInt(requestId);
    }

    private static void writeKeyInfo(ByteBuf out, Response.KeyInfo k) {
        out.writeLong(k.handle());
        out.writeByte(k.keyType().code());
        writeString(out, k.label());
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("string field longer than 65535 UTF-8 bytes");
        }
        out.writeShort(utf8.length);
        out.writeBytes(utf8);
    }

    private static void writeBytes(ByteBuf out, byte[] b) {
        out.writeInt(b.length);
        out.writeBytes(b);
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes one request frame from {@code frame}, which holds exactly the bytes after the length
     * prefix. Reads the buffer; does not release it.
     */
    public static RequestFrame decodeRequest(ByteBuf frame) {
        Header h = readHeader(frame, KIND_REQUEST);
        if (h.status != Status.OK) {
            throw new ProtocolViolationException("request frame with status " + h.status);
        }
        Request r = switch (h.opcode) {
            case HELLO -> new Request.Hello(readU16(frame), readString(frame));
            case PING -> new Request.Ping(readBytes(frame));
            case LOGIN -> new Request.Login(readString(frame), readBytes(frame));
            case LOGOUT -> new Request.Logout();
            case GENERATE_KEY -> new Request.GenerateKey(readKeyType(frame), readString(frame));
            case FIND_KEYS -> new Request.FindKeys(readFlag(frame) ? Optional.of(readString(frame)) : Optional.empty());
            case GET_KEY -> new Request.GetKey(readLong(frame));
            case GET_PUBLIC_KEY -> new Request.GetPublicKey(readLong(frame));
            case DELETE_KEY -> new Request.DeleteKey(readLong(frame));
            case SIGN -> new Request.Sign(readLong(frame), readMechanism(frame), readBytes(frame));
            case VERIFY -> new Request.Verify(readLong(frame), readMechanism(frame), readBytes(frame), readBytes(frame));
            case ENCRYPT -> new Request.Encrypt(readLong(frame), readMechanism(frame), readBytes(frame), readBytes(frame));
            case DECRYPT -> new Request.Decrypt(readLong(frame), readMechanism(frame), readBytes(frame),
                    readBytes(frame), readBytes(frame));
            case RANDOM -> new Request.Random(readInt(frame));
        };
        expectEnd(frame, h.opcode);
        return new RequestFrame(h.requestId, r);
    }

    /**
     * Decodes one response frame from {@code frame}, which holds exactly the bytes after the length
     * prefix. Reads the buffer; does not release it.
     */
    public static ResponseFrame decodeResponse(ByteBuf frame) {
        Header h = readHeader(frame, KIND_RESPONSE);
        Response r;
        if (h.status != Status.OK) {
            r = new Response.Error(h.status, readString(frame));
        } else {
            r = switch (h.opcode) {
                case HELLO -> new Response.HelloOk(readU16(frame), readString(frame), readString(frame),
                        readInt(frame), readInt(frame));
                case LOGIN, LOGOUT, DELETE_KEY -> new Response.Done();
                case GENERATE_KEY, GET_KEY -> readKeyInfo(frame);
                case FIND_KEYS -> readKeyList(frame);
                case PING, GET_PUBLIC_KEY, SIGN, DECRYPT, RANDOM -> new Response.Bytes(readBytes(frame));
                case VERIFY -> new Response.Verified(readFlag(frame));
                case ENCRYPT -> new Response.Encrypted(readBytes(frame), readBytes(frame));
            };
        }
        expectEnd(frame, h.opcode);
        return new ResponseFrame(h.requestId, h.opcode, r);
    }

    private record Header(Opcode opcode, Status status, int requestId) {}

    private static Header readHeader(ByteBuf frame, int expectedKind) {
        need(frame, ProtocolConstants.HEADER_SIZE, "header");
        int kind = frame.readUnsignedByte();
        if (kind != expectedKind) {
            throw new ProtocolViolationException("expected a " + (expectedKind == KIND_REQUEST ? "request" : "response")
                    + " frame, got kind " + kind);
        }
        int opCode = frame.readUnsignedByte();
        Opcode op = Opcode.fromCode(opCode);
        if (op == null) {
            throw new ProtocolViolationException("unknown opcode 0x" + Integer.toHexString(opCode));
        }
        int statusCode = frame.readUnsignedShort();
        Status status = Status.fromCode(statusCode);
        if (status == null) {
            throw new ProtocolViolationException("unknown status 0x" + Integer.toHexString(statusCode));
        }
        return new Header(op, status, frame.readInt());
    }

    private static Response.KeyInfo readKeyInfo(ByteBuf frame) {
        return new Response.KeyInfo(readLong(frame), readKeyType(frame), readString(frame));
    }

    private static Response.KeyList readKeyList(ByteBuf frame) {
        int count = readInt(frame);
        // The smallest key entry is 11 bytes (handle, type, empty label): a count the frame
        // cannot hold is refused before any list is allocated.
        if (count < 0 || (long) count * 11 > frame.readableBytes()) {
            throw new ProtocolViolationException("key count " + Integer.toUnsignedString(count)
                    + " does not fit in the " + frame.readableBytes() + " bytes left");
        }
        List<Response.KeyInfo> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(readKeyInfo(frame));
        }
        return new Response.KeyList(keys);
    }

    private static WireKeyType readKeyType(ByteBuf frame) {
        need(frame, 1, "key type");
        int code = frame.readUnsignedByte();
        WireKeyType t = WireKeyType.fromCode(code);
        if (t == null) {
            throw new ProtocolViolationException("unknown key type " + code);
        }
        return t;
    }

    private static Mechanism readMechanism(ByteBuf frame) {
        need(frame, 1, "mechanism");
        int code = frame.readUnsignedByte();
        Mechanism m = Mechanism.fromCode(code);
        if (m == null) {
            throw new ProtocolViolationException("unknown mechanism " + code);
        }
        return m;
    }

    private static boolean readFlag(ByteBuf frame) {
        need(frame, 1, "flag");
        int b = frame.readUnsignedByte();
        if (b > 1) {
            throw new ProtocolViolationException("flag must be 0 or 1, was " + b);
        }
        return b == 1;
    }

    private static int readU16(ByteBuf frame) {
        need(frame, 2, "u16");
        return frame.readUnsignedShort();
    }

    private static long readLong(ByteBuf frame) {
        need(frame, 8, "u64");
        return frame.readLong();
    }

    private static int readInt(ByteBuf frame) {
        need(frame, 4, "u32");
        return frame.readInt();
    }

    private static String readString(ByteBuf frame) {
        need(frame, 2, "string length");
        int len = frame.readUnsignedShort();
        need(frame, len, "string");
        String s = frame.toString(frame.readerIndex(), len, StandardCharsets.UTF_8);
        frame.skipBytes(len);
        return s;
    }

    private static byte[] readBytes(ByteBuf frame) {
        need(frame, 4, "byte-string length");
        int len = frame.readInt();
        if (len < 0 || len > frame.readableBytes()) {
            throw new ProtocolViolationException("byte string of " + Integer.toUnsignedString(len)
                    + " bytes does not fit in the " + frame.readableBytes() + " bytes left");
        }
        byte[] b = new byte[len];
        frame.readBytes(b);
        return b;
    }

    private static void need(ByteBuf frame, int n, String what) {
        if (frame.readableBytes() < n) {
            throw new ProtocolViolationException("frame truncated: " + what + " needs " + n + " bytes, "
                    + frame.readableBytes() + " left");
        }
    }

    private static void expectEnd(ByteBuf frame, Opcode op) {
        if (frame.isReadable()) {
            throw new ProtocolViolationException(frame.readableBytes() + " unexpected bytes after the " + op + " payload");
        }
    }
}
