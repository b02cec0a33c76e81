package dev.janus.io;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.io.onnx.OnnxProto;
import dev.janus.io.onnx.OnnxProto.TensorProto;
import dev.janus.ops.Dispatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Converts between Janus tensors and ONNX TensorProtos, and between Janus dtypes and ONNX data type codes. */
final class OnnxTensors {
    /** Janus tensors hold at most this many elements (Java arrays). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private OnnxTensors() {}

    /** The ONNX data type code of {@code t}. */
    static int code(DType t) {
        return switch (t) {
            case BOOL -> OnnxProto.BOOL;
            case INT32 -> OnnxProto.INT32;
            case INT64 -> OnnxProto.INT64;
            case FLOAT32 -> OnnxProto.FLOAT;
            case FLOAT64 -> OnnxProto.DOUBLE;
        };
    }

    /**
     * The Janus dtype of ONNX data type {@code code}; {@code where} names the value for the error, an
     * {@link UnsupportedOperationException} for the types Janus lacks (uint8, float16, string, ...).
     */
    static DType dtype(int code, String where) {
        return switch (code) {
            case OnnxProto.BOOL -> DType.BOOL;
            case OnnxProto.INT32 -> DType.INT32;
            case OnnxProto.INT64 -> DType.INT64;
            case OnnxProto.FLOAT -> DType.FLOAT32;
            case OnnxProto.DOUBLE -> DType.FLOAT64;
            default -> throw new UnsupportedOperationException(where + " has ONNX element type " + codeName(code)
                    + ", which Janus does not have (it has bool, int32, int64, float, double)");
        };
    }

    static String codeName(int code) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"};
        return code >= 0 && code < names.length ? names[code] : "code " + code;
    }

    /** A TensorProto named {@code name} with {@code t}'s values as raw little-endian data. */
    static TensorProto toProto(String name, Tensor t) {
        return TensorProto.raw(name, code(t.dtype()), t.shape().dims(), Safetensors.encode(t).array());
    }

    /** The tensor a TensorProto holds, checking that its data matches its dims and type. */
    static Tensor fromProto(TensorProto p, String where) throws ModelFormatException {
        if (p.external()) {
            throw new ModelFormatException(where + " keeps its data in an external file, which Janus does not read");
        }
        DType t = dtype(p.dataType(), where);
        long numel;
        try {
            numel = p.numel();
        } catch (ArithmeticException e) {
            throw new ModelFormatException(where + " has too many elements: " + Arrays.toString(p.dims()));
        }
        if (numel > MAX_ELEMENTS) {
            throw new ModelFormatException(where + " has " + numel + " elements, more than a Janus tensor holds");
        }
        int n = (int) numel;
        Shape shape = Shape.of(p.dims());
        if (p.rawData() != null) {
            if (p.rawData().length != (long) n * t.byteSize()) {
                throw new ModelFormatException(where + " has " + p.rawData().length + " bytes of raw data but "
                        + t.shortName() + Arrays.toString(p.dims()) + " needs " + (long) n * t.byteSize());
            }
            return fromRaw(ByteBuffer.wrap(p.rawData()).order(ByteOrder.LITTLE_ENDIAN), t, n, shape);
        }
        int have = switch (t) {
            case FLOAT32 -> p.floatData().length;
            case FLOAT64 -> p.doubleData().length;
            case INT32, BOOL -> p.int32Data().length;
            case INT64 -> p.int64Data().length;
        };
        if (have != n) {
            throw new ModelFormatException(where + " holds " + have + " values but " + t.shortName()
                    + Arrays.toString(p.dims()) + " needs " + n);
        }
        return shaped(switch (t) {
            case FLOAT32 -> Tensor.of(p.floatData());
            case FLOAT64 -> Tensor.of(p.doubleData());
            case INT32 -> Tensor.of(p.int32Data());
            case INT64 -> Tensor.of(p.int64Data());
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = p.int32Data()[i] != 0;
                }
                yield Tensor.of(v);
            }
        }, shape);
    }

    /** {@code flat} (1-D) viewed as {@code shape}, computed eagerly even while a graph capture records. */
    static Tensor shaped(Tensor flat, Shape shape) {
        try (var eager = Dispatch.record(null)) {
            return flat.reshape(shape.dims());
        }
    }

    private static Tensor fromRaw(ByteBuffer b, DType t, int n, Shape shape) {
        return shaped(switch (t) {
            case FLOAT32 -> {
                float[] a = new float[n];
                b.asFloatBuffer().get(a);
                yield Tensor.of(a);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                b.asDoubleBuffer().get(a);
                yield Tensor.of(a);
            }
            case INT32 -> {
                int[] a = new int[n];
                b.asIntBuffer().get(a);
                yield Tensor.of(a);
            }
            case INT64 -> {
                long[] a = new long[n];
                b.asLongBuffer().get(a);
                yield Tensor.of(a);
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = b.get(i) != 0;
                }
                yield Tensor.of(a);
            }
        }, shape);
    }
}
