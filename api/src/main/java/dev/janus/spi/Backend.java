package dev.janus.spi;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;

/**
 * Kernels for one device. The contract is small on purpose: memory in and out, and one {@link #execute}
 * that runs any primitive of the op catalogue. Inputs reaching a backend have passed
 * {@link dev.janus.ops.ShapeRules}, so a backend never validates shapes itself. Backends are found with
 * {@link java.util.ServiceLoader}.
 */
public interface Backend {
    /** The kind of device this backend serves ({@code "cpu"}, {@code "cuda"}). */
    String deviceKind();

    /** Whether this backend can run on the current machine (a GPU backend without a GPU says no). */
    boolean isAvailable();

    /** A buffer holding a copy of a Java array of {@code dtype}'s element type. */
    Buffer fromHost(Object array, DType dtype, Device device);

    /** A fresh Java array with the buffer's elements. */
    Object toHost(Buffer buffer);

    /** Copies {@code src} into {@code dst} (same dtype and size). */
    void copy(Buffer src, Buffer dst);

    /**
     * Runs {@code op} and returns its output buffer. An output may share memory with an input only for
     * {@link Op#RESHAPE} and {@link Op#STOP_GRADIENT}.
     */
    Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec);

    /** A zeroed buffer of {@code numel} elements. (Placeholder until the CPU codegen branch lands.) */
    default Buffer allocate(DType dtype, long numel) {
        throw new UnsupportedOperationException("backend " + deviceKind() + " cannot allocate");
    }

    /** Like {@link #execute}, writing the result into {@code out} (never one of the inputs). */
    default void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec,
            Buffer out) {
        copy(execute(op, attrs, inputs, inputSpecs, outputSpec), out);
    }

    /** True when a floating buffer holds a NaN or an infinity (anomaly mode). */
    boolean hasNonFinite(Buffer buffer);
}
