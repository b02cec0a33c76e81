package dev.janus.backend.cpu;

import dev.janus.ops.Attrs;

/** Movement ops, each a strided view of its input copied into a contiguous output. */
final class MovementKernels {
    private MovementKernels() {}

    static CpuBuffer permute(CpuBuffer in, long[] inShape, int[] perm, long[] outShape) {
        long[] src = Strided.contiguous(inShape);
        long[] strides = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            strides[i] = src[perm[i] < 0 ? perm[i] + perm.length : perm[i]];
        }
        return gatherView(in, 0, strides, outShape);
    }

    static CpuBuffer expand(CpuBuffer in, long[] inShape, long[] outShape) {
        return gatherView(in, 0, Strided.broadcast(inShape, outShape), outShape);
    }

    static CpuBuffer slice(CpuBuffer in, long[] inShape, Attrs a, long[] outShape) {
        long[] starts = a.longs("starts");
        long[] steps = a.longs("steps");
        long[] src = Strided.contiguous(inShape);
        long base = 0;
        long[] strides = new long[src.length];
        for (int i = 0; i < src.length; i++) {
            base += starts[i] * src[i];
            strides[i] = src[i] * steps[i];
        }
        return gatherView(in, base, strides, outShape);
    }

    static CpuBuffer flip(CpuBuffer in, long[] shape, int[] axes) {
        long[] strides = Strided.contiguous(shape);
        long base = 0;
        for (int ax : axes) {
            int a = ax < 0 ? ax + shape.length : ax;
            if (shape[a] > 0) {
                base += (shape[a] - 1) * strides[a];
            }
            strides[a] = -strides[a];
        }
        return gatherView(in, base, strides, shape);
    }

    static CpuBuffer pad(CpuBuffer in, long[] inShape, Attrs a, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocate(in.dtype, Shapes.numel(outShape));
        double value = a.d("value");
        if (value != 0) {
            fill(out, value);
        }
        long[] before = a.longs("before");
        long[] dst = Strided.contiguous(outShape);
        long base = 0;
        for (int i = 0; i < dst.length; i++) {
            base += before[i] * dst[i];
        }
        Strided.copy(in.array, 0, Strided.contiguous(inShape), out.array, base, dst, inShape);
        return out;
    }

    static CpuBuffer concat(CpuBuffer[] ins, long[][] inShapes, int axis, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(ins[0].dtype, Shapes.numel(outShape));
        long[] dst = Strided.contiguous(outShape);
        long offset = 0;
        for (int i = 0; i < ins.length; i++) {
            Strided.copy(ins[i].array, 0, Strided.contiguous(inShapes[i]), out.array, offset * dst[axis], dst, inShapes[i]);
            offset += inShapes[i][axis];
        }
        return out;
    }

    private static CpuBuffer gatherView(CpuBuffer in, long base, long[] strides, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(in.dtype, Shapes.numel(outShape));
        Strided.copy(in.array, base, strides, out.array, 0, Strided.contiguous(outShape), outShape);
        return out;
    }

    private static void fill(CpuBuffer b, double v) {
        switch (b.dtype) {
            case FLOAT32 -> java.util.Arrays.fill(b.f32(), (float) v);
            case FLOAT64 -> java.util.Arrays.fill(b.f64(), v);
            case INT32 -> java.util.Arrays.fill(b.i32(), (int) v);
            case INT64 -> java.util.Arrays.fill(b.i64(), (long) v);
            case BOOL -> java.util.Arrays.fill(b.bool(), (byte) (v != 0 ? 1 : 0));
        }
    }
}
