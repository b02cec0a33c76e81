package dev.janus.ops;

import dev.janus.DType;
import dev.janus.Shape;

/**
 * A tensor as a {@link CustomOp}'s CPU kernel sees it: its type and the Java array that holds its elements,
 * contiguous in row-major order ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, or
 * {@code byte[]} of 0/1 for bool). Inputs are read-only; a kernel writes every element of its output.
 *
 * <pre>{@code
 * for (int i = 0; i < out.numel(); i++) out.set(i, Math.abs(in[0].get(i)));   // any floating dtype
 * float[] fast = in[0].f32();                                                  // or the array itself
 * }</pre>
 */
public final class HostTensor {
    private final TensorSpec spec;
    private final Object data;

    /** Wraps {@code data} (not copied), which must hold {@code spec.shape().numel()} elements of its dtype. */
    public HostTensor(TensorSpec spec, Object data) {
        this.spec = spec;
        this.data = data;
    }

    public TensorSpec spec() {
        return spec;
    }

    public DType dtype() {
        return spec.dtype();
    }

    public Shape shape() {
        return spec.shape();
    }

    /** The number of elements. */
    public int numel() {
        return (int) spec.shape().numel();
    }

    public float[] f32() {
        return (float[]) data(DType.FLOAT32);
    }

    public double[] f64() {
        return (double[]) data(DType.FLOAT64);
    }

    public int[] i32() {
        return (int[]) data(DType.INT32);
    }

    public long[] i64() {
        return (long[]) data(DType.INT64);
    }

    /** Bool elements, one byte each (0 or 1). */
    public byte[] bools() {
        return (byte[]) data(DType.BOOL);
    }

    /** Element {@code i} as a double, whatever the dtype (convenient; the typed arrays are faster). */
    public double get(int i) {
        return switch (spec.dtype()) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case BOOL -> ((byte[]) data)[i];
        };
    }

    /** Sets element {@code i} from a double, converting as a {@code cast} would (truncation for integers). */
    public void set(int i, double v) {
        switch (spec.dtype()) {
            case FLOAT32 -> ((float[]) data)[i] = (float) v;
            case FLOAT64 -> ((double[]) data)[i] = v;
            case INT32 -> ((int[]) data)[i] = (int) v;
            case INT64 -> ((long[]) data)[i] = (long) v;
            case BOOL -> ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    private Object data(DType wanted) {
        if (spec.dtype() != wanted) {
            throw new IllegalArgumentException("custom kernel read " + wanted.shortName() + " data from a " + spec
                    + " tensor; check dtype() first");
        }
        return data;
    }

    @Override
    public String toString() {
        return "HostTensor " + spec;
    }
}
