package dev.janus.io.tensorboard;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message being written field by field with {@link CodedOutputStream}; a nested message is built
 * as its own {@code ProtoMessage} and embedded by {@link #message}. Summaries are small, so buffering each
 * message whole is simpler than sizing it first. Fields are always written, even when zero: several TensorBoard
 * fields sit in a {@code oneof}, where presence matters.
 *
 * <pre>{@code byte[] bytes = new ProtoMessage().float64(1, 1.5).string(3, "brain.Event:2").toByteArray();}</pre>
 */
final class ProtoMessage {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    ProtoMessage float64(int field, double v) {
        return io(() -> out.writeDouble(field, v));
    }

    ProtoMessage float32(int field, float v) {
        return io(() -> out.writeFloat(field, v));
    }

    ProtoMessage int64(int field, long v) {
        return io(() -> out.writeInt64(field, v));
    }

    /** An enum or int32 field (both are varints on the wire). */
    ProtoMessage int32(int field, int v) {
        return io(() -> out.writeInt32(field, v));
    }

    ProtoMessage bool(int field, boolean v) {
        return io(() -> out.writeBool(field, v));
    }

    ProtoMessage string(int field, String v) {
        return bytes(field, v.getBytes(StandardCharsets.UTF_8));
    }

    ProtoMessage bytes(int field, byte[] v) {
        return io(() -> out.writeByteArray(field, v));
    }

    ProtoMessage message(int field, ProtoMessage m) {
        return bytes(field, m.toByteArray());
    }

    /** A packed repeated {@code double} field. */
    ProtoMessage packedFloat64(int field, double[] vs) {
        ProtoMessage body = new ProtoMessage();
        for (double v : vs) {
            body.io(() -> body.out.writeDoubleNoTag(v));
        }
        return packed(field, body);
    }

    /** A packed repeated varint field ({@code int64}, {@code bool} and enums as longs). */
    ProtoMessage packedVarint(int field, long[] vs) {
        ProtoMessage body = new ProtoMessage();
        for (long v : vs) {
            body.io(() -> body.out.writeInt64NoTag(v));
        }
        return packed(field, body);
    }

    private ProtoMessage packed(int field, ProtoMessage body) {
        byte[] b = body.toByteArray();
        return io(() -> {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(b.length);
            out.writeRawBytes(b);
        });
    }

    byte[] toByteArray() {
        io(out::flush);
        return buffer.toByteArray();
    }

    private ProtoMessage io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            // NOTE: a ByteArrayOutputStream never fails; this only satisfies CodedOutputStream's signature
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
