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

    /**
     * Why {@link #isAvailable()} is false, in words for a log line (for example the library that failed to
     * load); empty when the backend is available.
     */
    default String unavailableReason() {
        return isAvailable() ? "" : deviceKind() + " backend reports itself unavailable";
    }

    /** A buffer holding a copy of a Java array of {@code dtype}'s element type. */
    Buffer fromHost(Object array, DType dtype, Device device);

    /** A fresh Java array with the buffer's elements. */
    Object toHost(Buffer buffer);

    /** Copies {@code src} into {@code dst} (same dtype and size). */
    void copy(Buffer src, Buffer dst);

    /**
     * A zero-filled buffer of {@code numel} elements: the storage a memory plan hands to
     * {@link #executeInto} again and again.
     */
    Buffer allocate(DType dtype, long numel);

    /**
     * Runs {@code op} and returns its output buffer. An output may share memory with an input only for
     * {@link Op#RESHAPE} and {@link Op#STOP_GRADIENT}.
     */
    Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec);

    /**
     * Runs {@code op} like {@link #execute} but writes its result into {@code out}, which has
     * {@code outputSpec}'s dtype and element count and is never one of the inputs. A backend that can write
     * its kernels' results in place overrides this so that a static graph with a memory plan allocates
     * nothing per step; this default computes into a fresh buffer and copies.
     *
     * <pre>{@code
     * Buffer out = backend.allocate(spec.dtype(), spec.shape().numel());
     * backend.executeInto(Op.ADD, Attrs.NONE, new Buffer[] {x, y}, new TensorSpec[] {xs, ys}, spec, out);
     * }</pre>
     */
    default void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec,
            Buffer out) {
        copy(execute(op, attrs, inputs, inputSpecs, outputSpec), out);
    }

    /**
     * One kernel for a whole {@link ElementwiseProgram}, or null when this backend cannot fuse it (the caller
     * then runs the program's steps one by one with {@link #execute}). Compile once, run many times.
     */
    default FusedKernel compileElementwise(ElementwiseProgram program) {
        return null;
    }

    /** True when a floating buffer holds a NaN or an infinity (anomaly mode). */
    boolean hasNonFinite(Buffer buffer);
}
