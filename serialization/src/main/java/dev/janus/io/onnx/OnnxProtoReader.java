package dev.janus.io.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.janus.io.ModelFormatException;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.AttributeType;
import dev.janus.io.onnx.OnnxProto.Dim;
import dev.janus.io.onnx.OnnxProto.GraphProto;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import dev.janus.io.onnx.OnnxProto.OperatorSetId;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.io.onnx.OnnxProto.TypeProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes ONNX messages from protobuf's wire format with {@link CodedInputStream}, for untrusted input: every
 * length is checked against the bytes that remain before anything is allocated, subgraphs nest at most
 * {@value #MAX_DEPTH} deep, tensors have at most 64 non-negative dims, and anything malformed ends in a
 * {@link ModelFormatException} naming the message and field. Unknown fields are skipped, as protobuf requires.
 *
 * <pre>{@code
 * ModelProto m = OnnxProtoReader.read(Files.readAllBytes(Path.of("model.onnx")));
 * }</pre>
 */
public final class OnnxProtoReader {
    /** How deep If/Loop bodies may nest inside each other. */
    static final int MAX_DEPTH = 32;
    private static final int MAX_RANK = 64;

    private final CodedInputStream in;
    private int depth;

    private OnnxProtoReader(byte[] bytes) {
        this.in = CodedInputStream.newInstance(bytes);
        in.setSizeLimit(Integer.MAX_VALUE);
        in.setRecursionLimit(4 * MAX_DEPTH + 16);
        try {
            in.pushLimit(bytes.length); // so that every declared length is checked against what remains
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes a ModelProto. */
    public static ModelProto read(byte[] bytes) throws ModelFormatException {
        OnnxProtoReader r = new OnnxProtoReader(bytes);
        try {
            ModelProto m = r.model();
            if (m.graph() == null) {
                throw new ModelFormatException("not an ONNX model: no graph (field 7 of ModelProto)");
            }
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException("not an ONNX model: malformed protobuf near byte " + r.in.getTotalBytesRead()
                    + ": " + e.getMessage(), e);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException("not an ONNX model: " + e.getMessage() + " near byte " + r.in.getTotalBytesRead(), e);
        }
    }

    /** Decodes a bare TensorProto (the format of ONNX test data {@code input_0.pb}). */
    public static TensorProto readTensor(byte[] bytes) throws ModelFormatException {
        OnnxProtoReader r = new OnnxProtoReader(bytes);
        try {
            return r.tensor();
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException("not an ONNX TensorProto: " + e.getMessage() + " near byte "
                    + r.in.getTotalBytesRead(), e);
        }
    }

    // ---- framing ----

    @FunctionalInterface
    private interface Body<T> {
        T read() throws IOException;
    }

    /** Reads a length-delimited nested message with {@code body}, which reads up to the pushed limit. */
    private <T> T nested(String what, Body<T> body) throws IOException {
        int len = in.readRawVarint32();
        if (len < 0 || len > in.getBytesUntilLimit()) {
            throw new ModelFormatException(what + " declares " + len + " bytes but " + in.getBytesUntilLimit() + " remain");
        }
        int old = in.pushLimit(len);
        T v = body.read();
        if (!in.isAtEnd()) {
            throw new ModelFormatException(what + " ends before its declared length");
        }
        in.popLimit(old);
        return v;
    }

    private void expect(int tag, int wireType, String what) throws ModelFormatException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new ModelFormatException(what + " (field " + WireFormat.getTagFieldNumber(tag) + ") has wire type "
                    + WireFormat.getTagWireType(tag) + ", expected " + wireType);
        }
    }

    private long int64(int tag, String what) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT, what);
        return in.readInt64();
    }

    private String string(int tag, String what) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
        return in.readString();
    }

    private byte[] bytes(int tag, String what) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
        return in.readByteArray();
    }

    private <T> T message(int tag, String what, Body<T> body) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, what);
        return nested(what, body);
    }

    /** A repeated varint field, packed (one blob) or not (one element per tag). */
    private void varints(int tag, String what, LongList out) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            nested(what, () -> {
                while (!in.isAtEnd()) {
                    out.add(in.readInt64());
                }
                return null;
            });
        } else {
            out.add(int64(tag, what));
        }
    }

    /** A repeated fixed-width field (4 or 8 bytes), packed or not, as raw bits. */
    private void fixed(int tag, String what, int width, LongList out) throws IOException {
        int single = width == 4 ? WireFormat.WIRETYPE_FIXED32 : WireFormat.WIRETYPE_FIXED64;
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            nested(what, () -> {
                if (in.getBytesUntilLimit() % width != 0) {
                    throw new ModelFormatException(what + " holds " + in.getBytesUntilLimit() + " bytes, not a multiple of "
                            + width);
                }
                out.reserve(in.getBytesUntilLimit() / width);
                while (!in.isAtEnd()) {
                    out.add(width == 4 ? in.readRawLittleEndian32() : in.readRawLittleEndian64());
                }
                return null;
            });
        } else {
            expect(tag, single, what);
            out.add(width == 4 ? in.readRawLittleEndian32() : in.readRawLittleEndian64());
        }
    }

    private void skip(int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new ModelFormatException("unexpected end-group tag " + tag);
        }
    }

    // ---- the messages (field numbers from the ONNX specification) ----

    private ModelProto model() throws IOException {
        long ir = 0;
        List<OperatorSetId> opsets = new ArrayList<>();
        String producer = "";
        String producerVersion = "";
        GraphProto graph = null;
        Map<String, String> meta = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> ir = int64(tag, "ModelProto.ir_version");
                case 2 -> producer = string(tag, "ModelProto.producer_name");
                case 3 -> producerVersion = string(tag, "ModelProto.producer_version");
                case 7 -> graph = message(tag, "ModelProto.graph", this::graph);
                case 8 -> opsets.add(message(tag, "ModelProto.opset_import", this::opset));
                case 14 -> {
                    String[] kv = message(tag, "ModelProto.metadata_props", this::stringPair);
                    meta.put(kv[0], kv[1]);
                }
                default -> skip(tag);
            }
        }
        return new ModelProto(ir, opsets, producer, producerVersion, graph, meta);
    }

    private OperatorSetId opset() throws IOException {
        String domain = "";
        long version = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = string(tag, "OperatorSetIdProto.domain");
                case 2 -> version = int64(tag, "OperatorSetIdProto.version");
                default -> skip(tag);
            }
        }
        return new OperatorSetId(domain, version);
    }

    private String[] stringPair() throws IOException {
        String[] kv = {"", ""};
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> kv[0] = string(tag, "StringStringEntryProto.key");
                case 2 -> kv[1] = string(tag, "StringStringEntryProto.value");
                default -> skip(tag);
            }
        }
        return kv;
    }

    private GraphProto graph() throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new ModelFormatException("subgraphs nest more than " + MAX_DEPTH + " deep");
        }
        String name = "";
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> inits = new ArrayList<>();
        List<ValueInfoProto> inputs = new ArrayList<>();
        List<ValueInfoProto> outputs = new ArrayList<>();
        List<ValueInfoProto> infos = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(message(tag, "GraphProto.node", this::node));
                case 2 -> name = string(tag, "GraphProto.name");
                case 5 -> inits.add(message(tag, "GraphProto.initializer", this::tensor));
                case 11 -> inputs.add(message(tag, "GraphProto.input", this::valueInfo));
                case 12 -> outputs.add(message(tag, "GraphProto.output", this::valueInfo));
                case 13 -> infos.add(message(tag, "GraphProto.value_info", this::valueInfo));
                case 15 -> throw new ModelFormatException("graph '" + name + "' has sparse initializers, which Janus does not read");
                default -> skip(tag);
            }
        }
        depth--;
        return new GraphProto(name, nodes, inits, inputs, outputs, infos);
    }

    private NodeProto node() throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        List<AttributeProto> attrs = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(string(tag, "NodeProto.input"));
                case 2 -> outputs.add(string(tag, "NodeProto.output"));
                case 3 -> name = string(tag, "NodeProto.name");
                case 4 -> op = string(tag, "NodeProto.op_type");
                case 5 -> attrs.add(message(tag, "NodeProto.attribute", this::attribute));
                case 7 -> domain = string(tag, "NodeProto.domain");
                default -> skip(tag);
            }
        }
        if (op.isEmpty()) {
            throw new ModelFormatException("a node (" + (name.isEmpty() ? "unnamed" : "'" + name + "'") + ") has no op_type");
        }
        return new NodeProto(name, op, domain, inputs, outputs, attrs);
    }

    private AttributeProto attribute() throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = null;
        TensorProto t = null;
        GraphProto g = null;
        LongList floats = new LongList();
        LongList ints = new LongList();
        List<byte[]> strings = new ArrayList<>();
        List<TensorProto> tensors = new ArrayList<>();
        List<GraphProto> graphs = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(tag, "AttributeProto.name");
                case 2 -> {
                    expect(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    f = in.readFloat();
                }
                case 3 -> i = int64(tag, "AttributeProto.i");
                case 4 -> s = bytes(tag, "AttributeProto.s");
                case 5 -> t = message(tag, "AttributeProto.t", this::tensor);
                case 6 -> g = message(tag, "AttributeProto.g", this::graph);
                case 7 -> fixed(tag, "AttributeProto.floats", 4, floats);
                case 8 -> varints(tag, "AttributeProto.ints", ints);
                case 9 -> strings.add(bytes(tag, "AttributeProto.strings"));
                case 10 -> tensors.add(message(tag, "AttributeProto.tensors", this::tensor));
                case 11 -> graphs.add(message(tag, "AttributeProto.graphs", this::graph));
                case 20 -> type = (int) int64(tag, "AttributeProto.type");
                default -> skip(tag);
            }
        }
        AttributeType at = type != 0 ? AttributeType.of(type)
                : inferType(f, i, s, t, g, floats.size(), ints.size(), strings, tensors, graphs);
        if (at == null) {
            throw new ModelFormatException("attribute '" + name + "' has unknown type code " + type);
        }
        float[] fs = new float[floats.size()];
        for (int k = 0; k < fs.length; k++) {
            fs[k] = Float.intBitsToFloat((int) floats.get(k));
        }
        return new AttributeProto(name, at, f, i, s, t, g, fs, ints.toArray(), strings, tensors, graphs);
    }

    /** Old models may leave {@code type} unset: it is the field that holds a value. */
    private static AttributeType inferType(float f, long i, byte[] s, TensorProto t, GraphProto g, int floats, int ints,
            List<byte[]> strings, List<TensorProto> tensors, List<GraphProto> graphs) {
        if (t != null) {
            return AttributeType.TENSOR;
        } else if (g != null) {
            return AttributeType.GRAPH;
        } else if (s != null) {
            return AttributeType.STRING;
        } else if (floats > 0) {
            return AttributeType.FLOATS;
        } else if (ints > 0) {
            return AttributeType.INTS;
        } else if (!strings.isEmpty()) {
            return AttributeType.STRINGS;
        } else if (!tensors.isEmpty()) {
            return AttributeType.TENSORS;
        } else if (!graphs.isEmpty()) {
            return AttributeType.GRAPHS;
        }
        return f != 0 ? AttributeType.FLOAT : AttributeType.INT;
    }

    private TensorProto tensor() throws IOException {
        String name = "";
        int dataType = 0;
        LongList dims = new LongList();
        byte[] raw = null;
        LongList floats = new LongList();
        LongList int32 = new LongList();
        LongList int64 = new LongList();
        LongList doubles = new LongList();
        LongList uint64 = new LongList();
        List<byte[]> strings = new ArrayList<>();
        boolean external = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> varints(tag, "TensorProto.dims", dims);
                case 2 -> dataType = (int) int64(tag, "TensorProto.data_type");
                case 3 -> throw new ModelFormatException("tensor '" + name + "' is segmented, which Janus does not read");
                case 4 -> fixed(tag, "TensorProto.float_data", 4, floats);
                case 5 -> varints(tag, "TensorProto.int32_data", int32);
                case 6 -> strings.add(bytes(tag, "TensorProto.string_data"));
                case 7 -> varints(tag, "TensorProto.int64_data", int64);
                case 8 -> name = string(tag, "TensorProto.name");
                case 9 -> raw = bytes(tag, "TensorProto.raw_data");
                case 10 -> fixed(tag, "TensorProto.double_data", 8, doubles);
                case 11 -> varints(tag, "TensorProto.uint64_data", uint64);
                case 14 -> external = int64(tag, "TensorProto.data_location") == 1;
                default -> skip(tag);
            }
        }
        long[] ds = dims.toArray();
        checkDims(name, ds);
        float[] fs = new float[floats.size()];
        for (int k = 0; k < fs.length; k++) {
            fs[k] = Float.intBitsToFloat((int) floats.get(k));
        }
        int[] i32 = new int[int32.size()];
        for (int k = 0; k < i32.length; k++) {
            i32[k] = (int) int32.get(k);
        }
        double[] dbl = new double[doubles.size()];
        for (int k = 0; k < dbl.length; k++) {
            dbl[k] = Double.longBitsToDouble(doubles.get(k));
        }
        return new TensorProto(name, dataType, ds, raw, fs, i32, int64.toArray(), dbl, uint64.toArray(), strings, external);
    }

    private static void checkDims(String name, long[] dims) throws ModelFormatException {
        if (dims.length > MAX_RANK) {
            throw new ModelFormatException("tensor '" + name + "' has rank " + dims.length + " (at most " + MAX_RANK + ")");
        }
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new ModelFormatException("tensor '" + name + "' has a negative dim in " + Arrays.toString(dims));
            }
            if (d != 0 && n > Long.MAX_VALUE / d) {
                throw new ModelFormatException("tensor '" + name + "' has too many elements: " + Arrays.toString(dims));
            }
            n *= d;
        }
    }

    private ValueInfoProto valueInfo() throws IOException {
        String name = "";
        TypeProto type = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = string(tag, "ValueInfoProto.name");
                case 2 -> type = message(tag, "ValueInfoProto.type", this::type);
                default -> skip(tag);
            }
        }
        return new ValueInfoProto(name, type);
    }

    private TypeProto type() throws IOException {
        TypeProto t = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> t = message(tag, "TypeProto.tensor_type", this::tensorType);
                case 4 -> t = other(tag, "sequence");
                case 5 -> t = other(tag, "map");
                case 8 -> t = other(tag, "sparse_tensor");
                case 9 -> t = other(tag, "optional");
                default -> skip(tag);
            }
        }
        return t;
    }

    private TypeProto other(int tag, String kind) throws IOException {
        skip(tag);
        return new TypeProto(kind, 0, null);
    }

    private TypeProto tensorType() throws IOException {
        int elem = 0;
        List<Dim> dims = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> elem = (int) int64(tag, "TypeProto.Tensor.elem_type");
                case 2 -> dims = message(tag, "TypeProto.Tensor.shape", this::shape);
                default -> skip(tag);
            }
        }
        return TypeProto.tensor(elem, dims);
    }

    private List<Dim> shape() throws IOException {
        List<Dim> dims = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                dims.add(message(tag, "TensorShapeProto.dim", this::dim));
                if (dims.size() > MAX_RANK) {
                    throw new ModelFormatException("a declared shape has more than " + MAX_RANK + " dims");
                }
            } else {
                skip(tag);
            }
        }
        return dims;
    }

    private Dim dim() throws IOException {
        Dim d = new Dim(-1, null);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    long v = int64(tag, "Dimension.dim_value");
                    d = v >= 0 ? Dim.of(v) : new Dim(-1, null);
                }
                case 2 -> d = Dim.named(string(tag, "Dimension.dim_param"));
                default -> skip(tag);
            }
        }
        return d;
    }

    /** A growable long array: repeated fields arrive one element at a time. */
    private static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        void reserve(int more) {
            if (n + more > a.length) {
                a = Arrays.copyOf(a, n + more);
            }
        }

        long get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
