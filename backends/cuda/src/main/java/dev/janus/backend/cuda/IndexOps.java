package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.backend.cuda.kernels.CudaKernels;
import dev.janus.backend.cuda.kernels.IndexKernel;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import java.util.Arrays;

/**
 * GATHER and SCATTER_ADD as generated kernels (cross-entropy's pick and its gradient). An index out of range is
 * flagged by the kernel and raised here with the CPU's message, which costs one 16-byte copy back per call.
 * NOTE: the index gathered is reported from whichever thread saw a bad one, not necessarily the first.
 */
final class IndexOps {
    /** A scatter-add thread loops over the index's extent on the axis; longer extents stay on the host. */
    static final long MAX_SCATTER_EXTENT = 64;

    private final CudaMemoryOps memory;
    private final KernelLauncher launcher;

    IndexOps(CudaMemoryOps memory, KernelLauncher launcher) {
        this.memory = memory;
        this.launcher = launcher;
    }

    /** Runs GATHER or SCATTER_ADD into {@code out}; false when declined (the host fallback then runs it). */
    boolean run(Op op, Attrs a, Buffer[] in, TensorSpec[] specs, TensorSpec outSpec, CudaBuffer out) {
        Shape x = specs[0].shape();
        Shape index = specs[1].shape();
        int rank = x.rank();
        if (rank == 0 || outSpec.shape().numel() == 0 || index.numel() == 0) {
            return false;
        }
        int axis = x.axis(a.i("axis"));
        boolean gather = op == Op.GATHER;
        if (!gather && (!outSpec.dtype().isFloating() || index.dim(axis) > MAX_SCATTER_EXTENT)) {
            return false;
        }
        IndexKernel k = CudaKernels.index(gather, specs[0].dtype(), specs[1].dtype(), rank);
        CudaBuffer bad = memory.allocateZeroed(DType.INT64, 2);
        bad.retain();
        try {
            long count = outSpec.shape().numel();
            if (gather) {
                launcher.launch(k, new long[] {out.address(), address(in[1]), address(in[0]), bad.address()},
                        concat(new long[] {count, axis, x.dim(axis)}, index.dims(), x.strides()));
            } else {
                launcher.launch(k, new long[] {out.address(), address(in[0]), address(in[1]), address(in[2]), bad.address()},
                        concat(new long[] {count, axis, x.dim(axis)}, x.dims(), index.dims(), index.strides()));
            }
            long[] flag = (long[]) memory.toHost(bad);
            if (flag[0] != 0) {
                throw new IllegalArgumentException("op '" + op.opName() + "': index " + flag[1] + " is out of range for axis "
                        + axis + " of size " + x.dim(axis) + " (shape " + Arrays.toString(x.dims()) + ")");
            }
        } finally {
            bad.release();
        }
        return true;
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    private static long address(Buffer b) {
        return ((CudaBuffer) b).address();
    }
}
