package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.ops.Op;

/**
 * Reductions and scans. Each reduced axis is handled as {@code [outer, r, inner]}; several axes are reduced
 * one after another. Floating data accumulates in double (so float32 sums keep their accuracy) and integer
 * data in long.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static CpuBuffer reduce(Op op, CpuBuffer in, long[] shape, boolean[] mask, DType outType) {
        boolean floating = in.dtype.isFloating();
        Object data = floating ? toDoubles(in) : toLongs(in);
        long[] dims = shape.clone();
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            if (mask[axis]) {
                data = reduceAxis(op, data, dims, axis);
                dims[axis] = 1;
            }
        }
        return fromWide(data, outType);
    }

    static CpuBuffer argReduce(Op op, CpuBuffer in, long[] shape, int axis) {
        int outer = (int) Shapes.numel(shape, 0, axis);
        int r = (int) shape[axis];
        int inner = (int) Shapes.numel(shape, axis + 1, shape.length);
        double[] x = toDoubles(in);
        long[] out = new long[outer * inner];
        boolean max = op == Op.ARGMAX;
        Parallel.range(outer, (long) r * inner, (s, e) -> {
            for (int o = s; o < e; o++) {
                for (int j = 0; j < inner; j++) {
                    int best = 0;
                    double bv = x[o * r * inner + j];
                    for (int k = 1; k < r && bv == bv; k++) {
                        double v = x[(o * r + k) * inner + j];
                        if (v != v || (max ? v > bv : v < bv)) {
                            best = k;
                            bv = v;
                        }
                    }
                    out[o * inner + j] = best;
                }
            }
        });
        return new CpuBuffer(out, DType.INT64, out.length);
    }

    static CpuBuffer cumsum(CpuBuffer in, long[] shape, int axis, DType outType) {
        int outer = (int) Shapes.numel(shape, 0, axis);
        int r = (int) shape[axis];
        int inner = (int) Shapes.numel(shape, axis + 1, shape.length);
        if (in.dtype.isFloating()) {
            double[] x = toDoubles(in);
            for (int o = 0; o < outer; o++) {
                for (int k = 1; k < r; k++) {
                    int base = (o * r + k) * inner;
                    for (int j = 0; j < inner; j++) {
                        x[base + j] += x[base - inner + j];
                    }
                }
            }
            return fromWide(x, outType);
        }
        long[] x = toLongs(in);
        for (int o = 0; o < outer; o++) {
            for (int k = 1; k < r; k++) {
                int base = (o * r + k) * inner;
                for (int j = 0; j < inner; j++) {
                    x[base + j] += x[base - inner + j];
                }
            }
        }
        return fromWide(x, outType);
    }

    private static Object reduceAxis(Op op, Object data, long[] dims, int axis) {
        int outer = (int) Shapes.numel(dims, 0, axis);
        int r = (int) dims[axis];
        int inner = (int) Shapes.numel(dims, axis + 1, dims.length);
        if (data instanceof double[] x) {
            double[] out = new double[outer * inner];
            double init = switch (op) {
                case SUM -> 0;
                case PROD -> 1;
                case MAX -> Double.NEGATIVE_INFINITY;
                default -> Double.POSITIVE_INFINITY;
            };
            java.util.Arrays.fill(out, init);
            Parallel.range(outer, (long) r * inner, (s, e) -> {
                for (int o = s; o < e; o++) {
                    int ob = o * inner;
                    for (int k = 0; k < r; k++) {
                        int ib = (o * r + k) * inner;
                        switch (op) {
                            case SUM -> { for (int j = 0; j < inner; j++) { out[ob + j] += x[ib + j]; } }
                            case PROD -> { for (int j = 0; j < inner; j++) { out[ob + j] *= x[ib + j]; } }
                            case MAX -> { for (int j = 0; j < inner; j++) { out[ob + j] = Math.max(out[ob + j], x[ib + j]); } }
                            default -> { for (int j = 0; j < inner; j++) { out[ob + j] = Math.min(out[ob + j], x[ib + j]); } }
                        }
                    }
                }
            });
            return out;
        }
        long[] x = (long[]) data;
        long[] out = new long[outer * inner];
        long init = switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            default -> Long.MAX_VALUE;
        };
        java.util.Arrays.fill(out, init);
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < r; k++) {
                int ib = (o * r + k) * inner;
                for (int j = 0; j < inner; j++) {
                    long v = x[ib + j];
                    int t = o * inner + j;
                    out[t] = switch (op) {
                        case SUM -> out[t] + v;
                        case PROD -> out[t] * v;
                        case MAX -> Math.max(out[t], v);
                        default -> Math.min(out[t], v);
                    };
                }
            }
        }
        return out;
    }

    static double[] toDoubles(CpuBuffer in) {
        if (in.dtype == DType.FLOAT64) {
            return in.f64().clone();
        }
        double[] d = new double[in.length];
        if (in.dtype == DType.FLOAT32) {
            float[] f = in.f32();
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i];
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] = in.getDouble(i);
            }
        }
        return d;
    }

    private static long[] toLongs(CpuBuffer in) {
        if (in.dtype == DType.INT64) {
            return in.i64().clone();
        }
        long[] d = new long[in.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = in.getLong(i);
        }
        return d;
    }

    private static CpuBuffer fromWide(Object data, DType outType) {
        if (data instanceof double[] d) {
            CpuBuffer wide = new CpuBuffer(d, DType.FLOAT64, d.length);
            return outType == DType.FLOAT64 ? wide : ElementwiseKernels.cast(wide, outType);
        }
        long[] l = (long[]) data;
        CpuBuffer wide = new CpuBuffer(l, DType.INT64, l.length);
        return outType == DType.INT64 ? wide : ElementwiseKernels.cast(wide, outType);
    }
}
