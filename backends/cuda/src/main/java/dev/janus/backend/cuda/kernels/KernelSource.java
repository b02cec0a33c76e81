package dev.janus.backend.cuda.kernels;

import dev.janus.Shape;
import java.util.List;

/**
 * The generated CUDA C of one kernel structure. Its signature is
 * {@code name(out, in0, ..., in(k-1), long long n[, long long d0..d(r-1)][, strides of each STRIDED input])}:
 * the output, every input, the element count, then — only when an input is read {@link Access#STRIDED} — the
 * output's dims and, per strided input in order, its broadcast strides ({@code 0} on repeated axes).
 * {@link #scalarArgs} computes those numbers for concrete shapes.
 *
 * @param name     the {@code extern "C"} kernel name, unique per structure
 * @param kernel   the kernel's text alone (several can follow one {@link #PRELUDE})
 * @param rank     the output rank the index arithmetic was written for
 * @param accesses how each input is read
 */
public record KernelSource(String name, String kernel, int rank, List<Access> accesses) implements GeneratedKernel {
    /** The helper functions every kernel uses, to be put once before the kernels. */
    public static final String PRELUDE = Prelude.TEXT;

    public KernelSource {
        accesses = List.copyOf(accesses);
    }

    private boolean anyStrided() {
        return accesses.contains(Access.STRIDED);
    }

    /** The long arguments after the pointers, for inputs of {@code inputShapes} broadcast to {@code outShape}. */
    public long[] scalarArgs(List<Shape> inputShapes, Shape outShape) {
        long[] dims = outShape.dims();
        int strided = (int) accesses.stream().filter(a -> a == Access.STRIDED).count();
        long[] args = new long[1 + (anyStrided() ? rank * (1 + strided) : 0)];
        args[0] = outShape.numel();
        if (!anyStrided()) {
            return args;
        }
        System.arraycopy(dims, 0, args, 1, rank);
        int at = 1 + rank;
        for (int i = 0; i < accesses.size(); i++) {
            if (accesses.get(i) == Access.STRIDED) {
                long[] s = broadcastStrides(inputShapes.get(i).dims(), dims);
                System.arraycopy(s, 0, args, at, rank);
                at += rank;
            }
        }
        return args;
    }

    /** Row-major strides of {@code in} aligned right against {@code out}, 0 on the axes it is repeated along. */
    static long[] broadcastStrides(long[] in, long[] out) {
        long[] strides = new long[out.length];
        long stride = 1;
        for (int k = 1; k <= in.length; k++) {
            int o = out.length - k;
            strides[o] = in[in.length - k] == 1 ? 0 : stride;
            stride *= in[in.length - k];
        }
        return strides;
    }
}
