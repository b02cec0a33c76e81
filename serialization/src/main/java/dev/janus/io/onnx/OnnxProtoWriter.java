package dev.janus.io.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes {@link OnnxProto} messages in protobuf's wire format with {@link CodedOutputStream}. Each message is
 * described once by a {@code fields} method; it runs twice, first counting bytes (for the length prefix of a
 * nested message), then writing. Field numbers are the ONNX specification's.
 *
 * <pre>{@code
 * byte[] bytes = OnnxProtoWriter.toBytes(model);
 * }</pre>
 */
public final class OnnxProtoWriter {
    /** Protobuf messages are limited to 2 GiB; larger models need ONNX external data, which Janus does not write. */
    private static final long MAX_MESSAGE = Integer.MAX_VALUE;

    private OnnxProtoWriter() {}

    /** The model's bytes. */
    public static byte[] toBytes(ModelProto m) {
        long size = sizeOf(o -> model(o, m));
        checkSize(size);
        byte[] out = new byte[(int) size];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        Sink s = new Sink(cos);
        model(s, m);
        cos.checkNoSpaceLeft();
        return out;
    }

    /** Writes the model to {@code out} (not closed). */
    public static void write(ModelProto m, OutputStream out) throws IOException {
        checkSize(sizeOf(o -> model(o, m)));
        CodedOutputStream cos = CodedOutputStream.newInstance(out, 1 << 16);
        try {
            model(new Sink(cos), m);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        cos.flush();
    }

    private static void checkSize(long size) {
        if (size > MAX_MESSAGE) {
            throw new IllegalArgumentException("the ONNX model would be " + size + " bytes; protobuf messages are limited "
                    + "to 2 GiB (ONNX external data is not supported)");
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(Sink s);
    }

    private static long sizeOf(Fields f) {
        Sink counter = new Sink(null);
        f.write(counter);
        return counter.size;
    }

    /** Writes to a {@link CodedOutputStream}, or only counts bytes when it has none. */
    private static final class Sink {
        final CodedOutputStream out;
        long size;

        Sink(CodedOutputStream out) {
            this.out = out;
        }

        void int64(int field, long v) {
            if (out == null) {
                size += CodedOutputStream.computeInt64Size(field, v);
            } else {
                io(() -> out.writeInt64(field, v));
            }
        }

        void float32(int field, float v) {
            if (out == null) {
                size += CodedOutputStream.computeFloatSize(field, v);
            } else {
                io(() -> out.writeFloat(field, v));
            }
        }

        void bytes(int field, byte[] v) {
            if (out == null) {
                size += CodedOutputStream.computeByteArraySize(field, v);
            } else {
                io(() -> out.writeByteArray(field, v));
            }
        }

        void string(int field, String v) {
            if (v != null && !v.isEmpty()) {
                bytes(field, v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        void message(int field, Fields body) {
            long n = sizeOf(body);
            checkSize(n);
            if (out == null) {
                size += CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag((int) n) + n;
            } else {
                io(() -> {
                    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag((int) n);
                });
                body.write(this);
            }
        }

        /** A packed repeated field of fixed-width or varint elements, written as one length-delimited blob. */
        void packed(int field, int count, Fields elements) {
            if (count > 0) {
                message(field, elements);
            }
        }

        void int64NoTag(long v) {
            if (out == null) {
                size += CodedOutputStream.computeInt64SizeNoTag(v);
            } else {
                io(() -> out.writeInt64NoTag(v));
            }
        }

        void fixed32NoTag(int v) {
            if (out == null) {
                size += 4;
            } else {
                io(() -> out.writeFixed32NoTag(v));
            }
        }

        void fixed64NoTag(long v) {
            if (out == null) {
                size += 8;
            } else {
                io(() -> out.writeFixed64NoTag(v));
            }
        }

        private static void io(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    // ---- the messages (field numbers from the ONNX specification) ----

    private static void model(Sink s, ModelProto m) {
        s.int64(1, m.irVersion());                       // ir_version
        s.string(2, m.producerName());                   // producer_name
        s.string(3, m.producerVersion());                // producer_version
        s.message(7, o -> graph(o, m.graph()));          // graph
        for (OperatorSetId id : m.opsets()) {            // opset_import
            s.message(8, o -> {
                o.string(1, id.domain());
                o.int64(2, id.version());
            });
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(m.metadata()).entrySet()) { // metadata_props
            s.message(14, o -> {
                o.string(1, e.getKey());
                o.string(2, e.getValue());
            });
        }
    }

    private static void graph(Sink s, GraphProto g) {
        for (NodeProto n : g.nodes()) {
            s.message(1, o -> node(o, n));
        }
        s.string(2, g.name());
        for (TensorProto t : g.initializers()) {
            s.message(5, o -> tensor(o, t));
        }
        for (ValueInfoProto v : g.inputs()) {
            s.message(11, o -> valueInfo(o, v));
        }
        for (ValueInfoProto v : g.outputs()) {
            s.message(12, o -> valueInfo(o, v));
        }
        for (ValueInfoProto v : g.valueInfo()) {
            s.message(13, o -> valueInfo(o, v));
        }
    }

    private static void node(Sink s, NodeProto n) {
        for (String in : n.inputs()) {
            s.bytes(1, in.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // empty names are kept: omitted inputs
        }
        for (String out : n.outputs()) {
            s.bytes(2, out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        s.string(3, n.name());
        s.string(4, n.opType());
        for (AttributeProto a : n.attributes()) {
            s.message(5, o -> attribute(o, a));
        }
        s.string(7, n.domain());
    }

    private static void attribute(Sink s, AttributeProto a) {
        s.string(1, a.name());
        switch (a.type()) {
            case FLOAT -> s.float32(2, a.f());
            case INT -> s.int64(3, a.i());
            case STRING -> s.bytes(4, a.s());
            case TENSOR -> s.message(5, o -> tensor(o, a.t()));
            case GRAPH -> s.message(6, o -> graph(o, a.g()));
            case FLOATS -> {
                for (float f : a.floats()) {
                    s.float32(7, f);
                }
            }
            case INTS -> {
                for (long i : a.ints()) {
                    s.int64(8, i);
                }
            }
            case STRINGS -> a.strings().forEach(b -> s.bytes(9, b));
            case TENSORS -> a.tensors().forEach(t -> s.message(10, o -> tensor(o, t)));
            case GRAPHS -> a.graphs().forEach(g -> s.message(11, o -> graph(o, g)));
            default -> throw new IllegalArgumentException("attribute '" + a.name() + "' of type " + a.type() + " cannot be written");
        }
        s.int64(20, a.type().code);
    }

    private static void tensor(Sink s, TensorProto t) {
        for (long d : t.dims()) {
            s.int64(1, d);
        }
        s.int64(2, t.dataType());
        s.packed(4, t.floatData().length, o -> {
            for (float f : t.floatData()) {
                o.fixed32NoTag(Float.floatToRawIntBits(f));
            }
        });
        s.packed(5, t.int32Data().length, o -> {
            for (int v : t.int32Data()) {
                o.int64NoTag(v);
            }
        });
        t.stringData().forEach(b -> s.bytes(6, b));
        s.packed(7, t.int64Data().length, o -> {
            for (long v : t.int64Data()) {
                o.int64NoTag(v);
            }
        });
        s.string(8, t.name());
        if (t.rawData() != null) {
            s.bytes(9, t.rawData());
        }
        s.packed(10, t.doubleData().length, o -> {
            for (double d : t.doubleData()) {
                o.fixed64NoTag(Double.doubleToRawLongBits(d));
            }
        });
        s.packed(11, t.uint64Data().length, o -> {
            for (long v : t.uint64Data()) {
                o.int64NoTag(v);
            }
        });
    }

    private static void valueInfo(Sink s, ValueInfoProto v) {
        s.string(1, v.name());
        if (v.type() != null) {
            s.message(2, o -> type(o, v.type()));
        }
    }

    private static void type(Sink s, TypeProto t) {
        if (!t.kind().equals("tensor")) {
            throw new IllegalArgumentException("only tensor types are written, got " + t.kind());
        }
        s.message(1, o -> {                               // tensor_type
            o.int64(1, t.elemType());                     // elem_type
            if (t.dims() != null) {
                o.message(2, sh -> {                      // shape
                    for (Dim d : t.dims()) {
                        sh.message(1, dm -> {             // dim
                            if (d.isKnown()) {
                                dm.int64(1, d.value());   // dim_value
                            } else if (d.param() != null) {
                                dm.string(2, d.param());  // dim_param
                            }
                        });
                    }
                });
            }
        });
    }
}
