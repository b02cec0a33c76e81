package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.backend.cuda.kernels.CudaKernels;
import dev.janus.backend.cuda.kernels.KernelSource;
import dev.janus.backend.cuda.kernels.KernelSpec;
import dev.janus.backend.cuda.kernels.Window;
import dev.janus.backend.cuda.kernels.WindowKernel;
import dev.janus.backend.cuda.kernels.WindowKernel.Kind;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;

/**
 * Convolutions and max pooling on the device. A convolution lowers all images at once to one column matrix
 * {@code cols[C·kh·kw, N·OH·OW]} (im2col) and multiplies it with the weight in one strided-batched {@link Gemm} call
 * (a batch of {@code groups}); generated kernels swap the result between the GEMM's {@code [O, N, P]} and NCHW
 * (adding the bias on the way) and sum columns back onto images (col2im) for the transposed convolution. Pooling
 * and its gradient are direct kernels. Scratch blocks go back to the allocator right after the launches that
 * read them (stream-ordered, as in the GEMM epilogue).
 *
 * <p>A batch whose column matrix exceeds a budget runs in chunks of images (the weight gradient adds the chunks'
 * products); a chunk whose GEMM sizes still exceed an int (one huge image) is declined to the host fallback.
 */
final class WindowOps {
    /** 64 Mi elements (256 MB of float32 columns) per chunk of images. */
    static final long DEFAULT_COLS_BUDGET = 1L << 26;

    private final CudaMemoryOps memory;
    private final KernelLauncher launcher;
    private final Gemm gemm;
    private final long colsBudget;

    /**
     * @param colsBudget column-matrix elements one step may allocate; a batch whose columns exceed it runs in chunks
     *                   of images ({@link #DEFAULT_COLS_BUDGET}; tests pass a small one to exercise the chunking)
     */
    WindowOps(CudaMemoryOps memory, KernelLauncher launcher, Gemm gemm, long colsBudget) {
        this.memory = memory;
        this.launcher = launcher;
        this.gemm = gemm;
        this.colsBudget = colsBudget;
    }

    /** Runs a convolution or pooling op into {@code out}; false when this class declines it (host fallback). */
    boolean run(Op op, Attrs a, Buffer[] in, TensorSpec[] specs, TensorSpec outSpec, CudaBuffer out) {
        DType t = outSpec.dtype();
        if (!t.isFloating() || outSpec.shape().numel() == 0 || anyEmpty(specs)) {
            return false;
        }
        long[] x = specs[0].shape().dims();
        long[] o = outSpec.shape().dims();
        return switch (op) {
            case CONV2D -> conv2d(t, a, in, x, specs[1].shape().dims(), o, out);
            case CONV2D_WEIGHT_GRAD -> weightGrad(t, a, in, x, specs[1].shape().dims(), o, out);
            case CONV_TRANSPOSE2D -> convTranspose(t, a, in, x, specs[1].shape().dims(), o, out);
            case MAX_POOL2D -> pool(t, a, in, x, o, out);
            case MAX_POOL2D_GRAD -> poolGrad(t, a, in, x, specs[1].shape().dims(), out);
            default -> false;
        };
    }

    private static boolean anyEmpty(TensorSpec[] specs) {
        for (TensorSpec s : specs) {
            if (s.shape().numel() == 0) {
                return true;
            }
        }
        return false;
    }

    /** out[N,O,OH,OW] = (W_g @ cols_g per group) swapped to NCHW, plus the bias; a chunk of images at a time. */
    private boolean conv2d(DType t, Attrs a, Buffer[] in, long[] x, long[] w, long[] o, CudaBuffer out) {
        Window g = window(a, x[0], x[1], x[2], x[3], w[2], w[3], o[2], o[3]);
        int groups = a.i("groups");
        long chunk = chunk(g);
        long ckk = g.rows() / groups;
        long og = o[1] / groups;
        if (!fitsInt(chunk * g.p(), ckk, og, g.rows() * chunk * g.p(), o[1] * chunk * g.p())) {
            return false;
        }
        long b = t.byteSize();
        for (long i0 = 0; i0 < g.n(); i0 += chunk) {
            Window gc = g.images(Math.min(chunk, g.n() - i0));
            long np = gc.n() * g.p();
            CudaBuffer cols = im2col(t, gc, address(in[0]) + i0 * g.c() * g.h() * g.w() * b);
            CudaBuffer product = scratch(t, o[1] * np);
            try {
                gemm.gemm(t, plan(false, false, og, np, ckk, ckk, np, og * ckk, ckk * np, og * np, groups),
                        address(in[1]), cols.address(), product.address());
                long[] args = {gc.n() * o[1] * g.p(), gc.n(), o[1], g.p()};
                long dst = out.address() + i0 * o[1] * g.p() * b;
                if (in.length == 3) {
                    launch(Kind.SWAP_BIAS, t, new long[] {dst, product.address(), address(in[2])}, args);
                } else {
                    launch(Kind.SWAP, t, new long[] {dst, product.address()}, args);
                }
            } finally {
                cols.release();
                product.release();
            }
        }
        return true;
    }

    /**
     * gradW_g[og, ckk] = gradOut_g[og, N·P] @ cols_g[ckk, N·P]ᵀ, gradOut first swapped to [O, N, P]; a later chunk
     * of images multiplies into scratch and is added onto the first chunk's result.
     */
    private boolean weightGrad(DType t, Attrs a, Buffer[] in, long[] x, long[] gy, long[] wShape, CudaBuffer out) {
        Window g = window(a, x[0], x[1], x[2], x[3], wShape[2], wShape[3], gy[2], gy[3]);
        int groups = a.i("groups");
        long chunk = chunk(g);
        long ckk = g.rows() / groups;
        long og = gy[1] / groups;
        if (!fitsInt(chunk * g.p(), ckk, og, g.rows() * chunk * g.p(), gy[1] * chunk * g.p())) {
            return false;
        }
        long b = t.byteSize();
        long wNumel = gy[1] * ckk;
        for (long i0 = 0; i0 < g.n(); i0 += chunk) {
            Window gc = g.images(Math.min(chunk, g.n() - i0));
            long np = gc.n() * g.p();
            CudaBuffer cols = im2col(t, gc, address(in[0]) + i0 * g.c() * g.h() * g.w() * b);
            CudaBuffer swapped = scratch(t, gy[1] * np);
            CudaBuffer partial = i0 == 0 ? null : scratch(t, wNumel);
            try {
                launch(Kind.SWAP, t, new long[] {swapped.address(), address(in[1]) + i0 * gy[1] * g.p() * b},
                        new long[] {gy[1] * np, gy[1], gc.n(), g.p()});
                gemm.gemm(t, plan(false, true, og, ckk, np, np, np, og * np, ckk * np, og * ckk, groups),
                        swapped.address(), cols.address(), partial == null ? out.address() : partial.address());
                if (partial != null) {
                    addInto(t, wNumel, out, partial);
                }
            } finally {
                cols.release();
                swapped.release();
                if (partial != null) {
                    partial.release();
                }
            }
        }
        return true;
    }

    /** {@code sum += part}, elementwise. NOTE: out and first input alias; each thread reads its element before writing it. */
    private void addInto(DType t, long numel, CudaBuffer sum, CudaBuffer part) {
        TensorSpec s = new TensorSpec(t, Shape.of(numel));
        KernelSpec spec = KernelSpec.forOp(Op.ADD, Attrs.NONE, new TensorSpec[] {s, s}, s);
        KernelSource k = CudaKernels.source(spec);
        launcher.launch(k, new long[] {sum.address(), sum.address(), part.address()},
                k.scalarArgs(spec.inputShapes(), spec.outShape()));
    }

    /**
     * The transposed convolution is the input gradient of the convolution with weight {@code w}: cols_g =
     * W_gᵀ @ x_g (x swapped to [C, N, P]), then col2im onto the output images; a chunk of images at a time.
     */
    private boolean convTranspose(DType t, Attrs a, Buffer[] in, long[] x, long[] w, long[] o, CudaBuffer out) {
        // the convolution whose input gradient this is maps out[N, o1, o2, o3] to x[N, x1, x2, x3]
        Window g = window(a, o[0], o[1], o[2], o[3], w[2], w[3], x[2], x[3]);
        int groups = a.i("groups");
        long chunk = chunk(g);
        long ckk = g.rows() / groups;
        long og = x[1] / groups;
        if (!fitsInt(chunk * g.p(), ckk, og, g.rows() * chunk * g.p(), x[1] * chunk * g.p())) {
            return false;
        }
        long b = t.byteSize();
        for (long i0 = 0; i0 < g.n(); i0 += chunk) {
            Window gc = g.images(Math.min(chunk, g.n() - i0));
            long np = gc.n() * g.p();
            CudaBuffer swapped = scratch(t, x[1] * np);
            CudaBuffer cols = scratch(t, g.rows() * np);
            try {
                launch(Kind.SWAP, t, new long[] {swapped.address(), address(in[0]) + i0 * x[1] * g.p() * b},
                        new long[] {x[1] * np, x[1], gc.n(), g.p()});
                gemm.gemm(t, plan(true, false, ckk, np, og, ckk, np, og * ckk, og * np, ckk * np, groups),
                        address(in[1]), swapped.address(), cols.address());
                launch(Kind.COL2IM, t, new long[] {out.address() + i0 * g.c() * g.h() * g.w() * b, cols.address()},
                        gc.scalarArgs(gc.n() * g.c() * g.h() * g.w()));
            } finally {
                swapped.release();
                cols.release();
            }
        }
        return true;
    }

    /** Images per chunk: as many as keep the column matrix within the budget, at least one. */
    private long chunk(Window g) {
        return Math.max(1, Math.min(g.n(), colsBudget / Math.max(1, g.rows() * g.p())));
    }

    private boolean pool(DType t, Attrs a, Buffer[] in, long[] x, long[] o, CudaBuffer out) {
        Window g = poolWindow(a, x, o);
        launch(Kind.MAX_POOL, t, new long[] {out.address(), address(in[0])}, g.scalarArgs(outNumel(o)));
        return true;
    }

    /** Inputs (gradOut, x); the CPU's unrolled 2×2 float32 path lets the first NaN of a window win. */
    private boolean poolGrad(DType t, Attrs a, Buffer[] in, long[] gy, long[] x, CudaBuffer out) {
        Window g = poolWindow(a, x, gy);
        boolean twoByTwo = t == DType.FLOAT32 && g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0
                && g.pw() == 0 && g.dh() == 1 && g.dw() == 1;
        launch(twoByTwo ? Kind.MAX_POOL_GRAD_FIRST_NAN : Kind.MAX_POOL_GRAD, t,
                new long[] {out.address(), address(in[0]), address(in[1])}, g.scalarArgs(outNumel(x)));
        return true;
    }

    /** The column matrix of the images of {@code g} starting at device address {@code x}. */
    private CudaBuffer im2col(DType t, Window g, long x) {
        CudaBuffer cols = scratch(t, g.rows() * g.n() * g.p());
        launch(Kind.IM2COL, t, new long[] {cols.address(), x}, g.scalarArgs(g.rows() * g.n() * g.p()));
        return cols;
    }

    private CudaBuffer scratch(DType t, long numel) {
        CudaBuffer b = memory.allocateUninitialized(t, numel);
        b.retain();
        return b;
    }

    private void launch(Kind kind, DType t, long[] pointers, long[] scalars) {
        WindowKernel k = CudaKernels.window(kind, t);
        launcher.launch(k, pointers, scalars);
    }

    /** A row-major product {@code C = op(A) op(B)}, batched over groups, as a {@link GemmPlan}. */
    private static GemmPlan plan(boolean transA, boolean transB, long m, long n, long k, long lda, long ldb, long strideA,
            long strideB, long strideC, int batch) {
        return new GemmPlan(transB, transA, (int) m, (int) n, (int) k, (int) lda, (int) ldb, (int) n, strideA, strideB,
                strideC, batch);
    }

    private static Window window(Attrs a, long n, long c, long h, long w, long kh, long kw, long oh, long ow) {
        int[] s = a.ints("stride");
        int[] p = a.ints("padding");
        int[] d = a.ints("dilation");
        return new Window(n, c, h, w, kh, kw, s[0], s[1], p[0], p[1], d[0], d[1], oh, ow);
    }

    private static Window poolWindow(Attrs a, long[] x, long[] o) {
        int[] k = a.ints("kernel");
        return window(a, x[0], x[1], x[2], x[3], k[0], k[1], o[2], o[3]);
    }

    private static boolean fitsInt(long... sizes) {
        for (long s : sizes) {
            if (s > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static long outNumel(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static long address(Buffer b) {
        return ((CudaBuffer) b).address();
    }
}
