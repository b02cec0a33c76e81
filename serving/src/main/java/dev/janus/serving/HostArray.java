package dev.janus.serving;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor's values in a Java array, or a run of rows of one: what requests are decoded into, batches are
 * merged from and split back into, and responses are written from. Rows are along dim 0; {@code offset} is the
 * first element.
 *
 * @param dtype  the element type; {@code data} is the matching {@code float[]}, {@code double[]}, {@code int[]},
 *               {@code long[]} or {@code boolean[]}
 * @param shape  the dims of this array (dim 0 counts its rows)
 * @param data   the values, shared with the array it was cut from
 * @param offset index in {@code data} of the first value
 */
record HostArray(DType dtype, long[] shape, Object data, int offset) {
    /** Copies a tensor's values out. */
    static HostArray of(Tensor t) {
        long[] dims = t.shape().dims();
        return switch (t.dtype()) {
            case FLOAT32 -> new HostArray(DType.FLOAT32, dims, t.toFloatArray(), 0);
            case FLOAT64 -> new HostArray(DType.FLOAT64, dims, t.toDoubleArray(), 0);
            case INT32 -> new HostArray(DType.INT32, dims, t.toIntArray(), 0);
            case INT64 -> new HostArray(DType.INT64, dims, t.toLongArray(), 0);
            case BOOL -> new HostArray(DType.BOOL, dims, t.toBooleanArray(), 0);
        };
    }

    /** Number of values. */
    int size() {
        return Math.toIntExact(Shape.of(shape).numel());
    }

    /** Values in one row (the product of the dims after dim 0). */
    int rowSize() {
        long n = 1;
        for (int i = 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return Math.toIntExact(n);
    }

    /** Rows {@code [start, start + count)}, sharing this array's values. */
    HostArray rows(long start, long count) {
        long[] dims = shape.clone();
        dims[0] = count;
        return new HostArray(dtype, dims, data, Math.toIntExact(offset + start * rowSize()));
    }

    /** Row {@code i} without the leading dim (shape {@code shape[1:]}), sharing this array's values. */
    HostArray row(long i) {
        return new HostArray(dtype, Arrays.copyOfRange(shape, 1, shape.length), data,
                Math.toIntExact(offset + i * rowSize()));
    }

    /** A tensor holding these values (copied). */
    Tensor toTensor() {
        int n = size();
        Object copy = newArray(dtype, n);
        System.arraycopy(data, offset, copy, 0, n);
        return new HostArray(dtype, shape, copy, 0).toTensorShared();
    }

    /** The arrays' rows one after another, as one tensor; all share dtype and the dims after dim 0. */
    static Tensor concatRows(List<HostArray> parts) {
        HostArray first = parts.get(0);
        long rows = 0;
        int total = 0;
        for (HostArray p : parts) {
            rows += p.shape[0];
            total += p.size();
        }
        Object all = newArray(first.dtype, total);
        int at = 0;
        for (HostArray p : parts) {
            int n = p.size();
            System.arraycopy(p.data, p.offset, all, at, n);
            at += n;
        }
        long[] dims = first.shape.clone();
        dims[0] = rows;
        return new HostArray(first.dtype, dims, all, 0).toTensorShared();
    }

    /** A tensor over this array's values; only for arrays that start at 0 and fill {@code data}. */
    private Tensor toTensorShared() {
        // NOTE: Tensor.of reads an empty shape as "a vector of all the values", so a scalar is made 1-D first
        long[] dims = shape.length == 0 ? new long[] {1} : shape;
        Tensor t = switch (dtype) {
            case FLOAT32 -> Tensor.of((float[]) data, dims);
            case FLOAT64 -> Tensor.of((double[]) data, dims);
            case INT32 -> Tensor.of((int[]) data, dims);
            case INT64 -> Tensor.of((long[]) data, dims);
            case BOOL -> Tensor.of((boolean[]) data, dims);
        };
        return shape.length == 0 ? t.reshape() : t;
    }

    static Object newArray(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    /** {@code f32[2, 10]}. */
    @Override
    public String toString() {
        return dtype.shortName() + Arrays.toString(shape);
    }
}
