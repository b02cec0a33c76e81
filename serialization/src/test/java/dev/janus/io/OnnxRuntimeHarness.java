package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import dev.janus.io.onnx.OnnxProto.ModelProto;
import dev.janus.io.onnx.OnnxProto.ValueInfoProto;
import dev.janus.io.onnx.OnnxProtoReader;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs exported models in ONNX Runtime (2 intra-op threads) and compares them with Janus's CompiledGraph. */
final class OnnxRuntimeHarness {
    static final double RTOL = 1e-5;
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OnnxRuntimeHarness() {}

    /** Exports {@code g}, runs it in ONNX Runtime and in a CompiledGraph on {@code inputs}, and compares. */
    static byte[] assertSameAsJanus(Graph g, Tensor... inputs) {
        byte[] model = Onnx.toBytes(GraphFunction.of(g, "test"));
        assertSameAsJanus(model, g, inputs);
        return model;
    }

    static void assertSameAsJanus(byte[] model, Graph g, Tensor... inputs) {
        Tensor[] expected = new CompiledGraph(g).run(inputs);
        Tensor[] actual = run(model, inputs);
        assertEquals(expected.length, actual.length, "number of outputs");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], "output " + i);
        }
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        if (!expected.dtype().isFloating()) {
            assertArrayEquals(expected.cast(DType.INT64).toLongArray(), actual.cast(DType.INT64).toLongArray(), what);
            return;
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int k = 0; k < e.length; k++) {
            double tol = RTOL * Math.max(1, Math.max(Math.abs(e[k]), Math.abs(a[k])));
            if (!(Math.abs(e[k] - a[k]) <= tol) && !(Double.isNaN(e[k]) && Double.isNaN(a[k])) && e[k] != a[k]) {
                fail(what + ": element " + k + " is " + a[k] + " in ONNX Runtime, " + e[k] + " in Janus");
            }
        }
    }

    /** Runs {@code model} in ONNX Runtime; inputs in the order of the model's graph inputs. */
    static Tensor[] run(byte[] model, Tensor... inputs) {
        try {
            ModelProto m = OnnxProtoReader.read(model);
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(2);
                o.setInterOpNumThreads(1);
                try (OrtSession s = ENV.createSession(model, o)) {
                    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                    List<ValueInfoProto> declared = m.graph().inputs();
                    try {
                        for (int i = 0; i < inputs.length; i++) {
                            feeds.put(declared.get(i).name(), toOrt(inputs[i]));
                        }
                        try (OrtSession.Result r = s.run(feeds)) {
                            List<Tensor> out = new ArrayList<>();
                            for (int i = 0; i < r.size(); i++) {
                                out.add(fromOrt((OnnxTensor) r.get(i)));
                            }
                            return out.toArray(new Tensor[0]);
                        }
                    } finally {
                        feeds.values().forEach(OnnxTensor::close);
                    }
                }
            }
        } catch (OrtException | ModelFormatException e) {
            throw new AssertionError("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor toOrt(Tensor t) throws OrtException {
        long[] shape = t.shape().dims();
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toFloatArray()), shape);
            case FLOAT64 -> OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(t.toDoubleArray()), shape);
            case INT32 -> OnnxTensor.createTensor(ENV, IntBuffer.wrap(t.toIntArray()), shape);
            case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.toLongArray()), shape);
            case BOOL -> {
                boolean[] v = t.toBooleanArray();
                ByteBuffer b = ByteBuffer.allocateDirect(v.length);
                for (boolean x : v) {
                    b.put((byte) (x ? 1 : 0));
                }
                yield OnnxTensor.createTensor(ENV, b.flip(), shape, OnnxJavaType.BOOL);
            }
        };
    }

    private static Tensor fromOrt(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        Tensor flat = switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] a = new float[b.remaining()];
                b.get(a);
                yield Tensor.of(a);
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                double[] a = new double[b.remaining()];
                b.get(a);
                yield Tensor.of(a);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                int[] a = new int[b.remaining()];
                b.get(a);
                yield Tensor.of(a);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] a = new long[b.remaining()];
                b.get(a);
                yield Tensor.of(a);
            }
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                boolean[] a = new boolean[b.remaining()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = b.get(i) != 0;
                }
                yield Tensor.of(a);
            }
            default -> throw new AssertionError("unexpected ONNX Runtime output type " + t.getInfo().type);
        };
        return OnnxTensors.shaped(flat, dev.janus.Shape.of(shape));
    }
}
