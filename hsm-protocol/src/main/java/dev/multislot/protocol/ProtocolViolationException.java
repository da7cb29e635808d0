package dev.multislot.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * Input that breaks the protocol: a frame too large or too small, an unknown opcode, a field
 * running past the end of its frame. The peer that receives one closes the connection; it never
 * affects other connections.
 */
public final class ProtocolViolationException extends CorruptedFrameException {

    public ProtocolViolationException(String message) {
        super(message);
    }
}
