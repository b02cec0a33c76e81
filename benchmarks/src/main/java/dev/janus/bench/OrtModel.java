package dev.janus.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.janus.Tensor;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.Value;
import dev.janus.io.Onnx;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Janus graph exported with {@link Onnx#toBytes} and loaded in ONNX Runtime ({@link #INTRA_OP_THREADS} intra-op
 * threads, sequential execution, all graph optimizations), with its inputs converted once, so that {@link #run()}
 * times only the session run.
 *
 * <pre>{@code
 * try (OrtModel m = new OrtModel(traced, x)) {
 *     float[] y = m.runToArray();
 * }
 * }</pre>
 */
final class OrtModel implements AutoCloseable {
    /** Janus's own thread count when set ({@code -Djanus.threads}, as {@code benchmarks/run.sh} does), else 2. */
    static final int INTRA_OP_THREADS = Integer.getInteger("janus.threads", 2);
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final Map<String, OnnxTensor> feeds = new LinkedHashMap<>();

    /** {@code args} in the order of the graph's inputs: tensors (float32) and {@code int}/{@code long} scalars. */
    OrtModel(GraphFunction fn, Object... args) {
        try {
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(INTRA_OP_THREADS);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OptLevel.ALL_OPT);
            session = ENV.createSession(Onnx.toBytes(fn), options);
            List<Value> inputs = fn.graph().inputs();
            if (inputs.size() != args.length) {
                throw new IllegalArgumentException(inputs.size() + " graph inputs, " + args.length + " arguments");
            }
            for (int i = 0; i < args.length; i++) {
                feeds.put(inputs.get(i).name(), toOrt(args[i]));
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the export of " + fn.name(), e);
        }
    }

    /** One session run; the output stays in ONNX Runtime's memory (not copied to Java), as a deployment keeps it. */
    int run() throws OrtException {
        try (OrtSession.Result r = session.run(feeds)) {
            return r.size();
        }
    }

    /** One session run, the first output copied out (for checks). */
    float[] runToArray() throws OrtException {
        try (OrtSession.Result r = session.run(feeds)) {
            OnnxValue v = r.get(0);
            FloatBuffer b = ((OnnxTensor) v).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        }
    }

    private static OnnxTensor toOrt(Object arg) throws OrtException {
        if (arg instanceof Tensor t) {
            return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toFloatArray()), t.shape().dims());
        }
        if (arg instanceof Integer || arg instanceof Long) {
            return OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {((Number) arg).longValue()}), new long[0]);
        }
        throw new IllegalArgumentException("cannot feed a " + arg.getClass().getSimpleName() + " to ONNX Runtime");
    }

    @Override
    public void close() {
        feeds.values().forEach(OnnxTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        options.close();
    }
}
