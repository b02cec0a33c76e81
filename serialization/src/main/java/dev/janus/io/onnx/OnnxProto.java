package dev.janus.io.onnx;

import java.util.List;
import java.util.Map;

/**
 * The ONNX protobuf messages Janus reads and writes, as plain immutable records: only the fields Janus uses
 * (others are skipped on reading). Field numbers and enum codes are those of the ONNX specification
 * ({@code onnx.proto}, IR version 8); {@link OnnxProtoWriter} and {@link OnnxProtoReader} hold the wire format.
 *
 * <pre>{@code
 * ModelProto m = OnnxProtoReader.read(Files.readAllBytes(path));
 * for (NodeProto n : m.graph().nodes()) System.out.println(n.opType());
 * }</pre>
 */
public final class OnnxProto {
    private OnnxProto() {}

    /** TensorProto.DataType codes. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int UINT16 = 4;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int STRING = 8;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int UINT32 = 12;
    public static final int UINT64 = 13;
    public static final int BFLOAT16 = 16;

    /** A whole model: IR version, operator sets, producer, the main graph and string metadata. */
    public record ModelProto(long irVersion, List<OperatorSetId> opsets, String producerName, String producerVersion,
            GraphProto graph, Map<String, String> metadata) {
        public ModelProto {
            opsets = List.copyOf(opsets);
            metadata = Map.copyOf(metadata);
        }

        /** The version of the default ("" or "ai.onnx") operator set, or 0 when it is not imported. */
        public long defaultOpset() {
            for (OperatorSetId o : opsets) {
                if (o.domain().isEmpty() || o.domain().equals("ai.onnx")) {
                    return o.version();
                }
            }
            return 0;
        }
    }

    /** An operator set import: domain ("" is the default ONNX domain) and version. */
    public record OperatorSetId(String domain, long version) {}

    /** A graph: nodes in topological order, initializers (constant tensors), inputs, outputs, value types. */
    public record GraphProto(String name, List<NodeProto> nodes, List<TensorProto> initializers, List<ValueInfoProto> inputs,
            List<ValueInfoProto> outputs, List<ValueInfoProto> valueInfo) {
        public GraphProto {
            nodes = List.copyOf(nodes);
            initializers = List.copyOf(initializers);
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            valueInfo = List.copyOf(valueInfo);
        }
    }

    /** One operator application; an empty input name is an omitted optional input. */
    public record NodeProto(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            List<AttributeProto> attributes) {
        public NodeProto {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }

        /** The attribute called {@code name}, or null. */
        public AttributeProto attribute(String attrName) {
            for (AttributeProto a : attributes) {
                if (a.name().equals(attrName)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** AttributeProto.AttributeType codes. */
    public enum AttributeType {
        UNDEFINED(0), FLOAT(1), INT(2), STRING(3), TENSOR(4), GRAPH(5), FLOATS(6), INTS(7), STRINGS(8), TENSORS(9),
        GRAPHS(10), SPARSE_TENSOR(11), SPARSE_TENSORS(12), TYPE_PROTO(13), TYPE_PROTOS(14);

        /** The code on the wire. */
        public final int code;

        AttributeType(int code) {
            this.code = code;
        }

        /** The type with wire code {@code code}, or null when the code is unknown. */
        public static AttributeType of(int code) {
            for (AttributeType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * A named attribute; the field that {@code type} names holds the value (the others are empty: 0, null or
     * empty arrays and lists).
     */
    public record AttributeProto(String name, AttributeType type, float f, long i, byte[] s, TensorProto t, GraphProto g,
            float[] floats, long[] ints, List<byte[]> strings, List<TensorProto> tensors, List<GraphProto> graphs) {
        public AttributeProto {
            strings = List.copyOf(strings);
            tensors = List.copyOf(tensors);
            graphs = List.copyOf(graphs);
        }

        private static AttributeProto of(String name, AttributeType type, float f, long i, byte[] s, TensorProto t,
                GraphProto g, float[] floats, long[] ints) {
            return new AttributeProto(name, type, f, i, s, t, g, floats, ints, List.of(), List.of(), List.of());
        }

        public static AttributeProto ofInt(String name, long v) {
            return of(name, AttributeType.INT, 0f, v, null, null, null, new float[0], new long[0]);
        }

        public static AttributeProto ofFloat(String name, float v) {
            return of(name, AttributeType.FLOAT, v, 0L, null, null, null, new float[0], new long[0]);
        }

        public static AttributeProto ofInts(String name, long... v) {
            return of(name, AttributeType.INTS, 0f, 0L, null, null, null, new float[0], v.clone());
        }

        public static AttributeProto ofString(String name, String v) {
            byte[] utf8 = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return of(name, AttributeType.STRING, 0f, 0L, utf8, null, null, new float[0], new long[0]);
        }

        public static AttributeProto ofTensor(String name, TensorProto v) {
            return of(name, AttributeType.TENSOR, 0f, 0L, null, v, null, new float[0], new long[0]);
        }

        public static AttributeProto ofGraph(String name, GraphProto v) {
            return of(name, AttributeType.GRAPH, 0f, 0L, null, null, v, new float[0], new long[0]);
        }

        /** The STRING value decoded as UTF-8. */
        public String stringValue() {
            return s == null ? "" : new String(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * A tensor: data type code, dims, and its data either as {@code rawData} (little-endian bytes) or in one of
     * the typed fields. {@code external} is true when the data lives in a separate file (not supported by
     * Janus; the reader keeps the flag so the importer can say so).
     */
    public record TensorProto(String name, int dataType, long[] dims, byte[] rawData, float[] floatData, int[] int32Data,
            long[] int64Data, double[] doubleData, long[] uint64Data, List<byte[]> stringData, boolean external) {
        public TensorProto {
            stringData = List.copyOf(stringData);
        }

        /** A tensor with raw little-endian data, as the writer emits. */
        public static TensorProto raw(String name, int dataType, long[] dims, byte[] rawData) {
            return new TensorProto(name, dataType, dims.clone(), rawData, new float[0], new int[0], new long[0], new double[0],
                    new long[0], List.of(), false);
        }

        /** The number of elements its dims give (1 for a scalar). */
        public long numel() {
            long n = 1;
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    /** A named value's declared type (null when undeclared). */
    public record ValueInfoProto(String name, TypeProto type) {}

    /**
     * A value's type. For a tensor, {@code elemType} and {@code dims} (null when the rank is unknown); other
     * kinds (sequence, map, optional, sparse tensor) are recorded by name only.
     */
    public record TypeProto(String kind, int elemType, List<Dim> dims) {
        public TypeProto {
            dims = dims == null ? null : List.copyOf(dims);
        }

        public static TypeProto tensor(int elemType, List<Dim> dims) {
            return new TypeProto("tensor", elemType, dims);
        }
    }

    /** One dimension: a known size ({@code value ≥ 0}), a symbolic name ({@code param}), or neither (unknown). */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim named(String param) {
            return new Dim(-1, param);
        }

        public boolean isKnown() {
            return value >= 0;
        }
    }
}
