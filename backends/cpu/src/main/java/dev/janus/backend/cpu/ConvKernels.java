package dev.janus.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Convolution and max-pooling kernels on plain row-major NCHW arrays, with groups, stride, zero padding and
 * dilation. Weights are {@code [O, C/groups, kh, kw]}; biases are the caller's business.
 *
 * <p>Convolutions lower each image to a column matrix (im2col) and multiply it with {@link Gemm}. With unit
 * stride the columns are "wide": row {@code (c, ki, kj)} is one contiguous slice of the (padded) input plane,
 * shifted by {@code ki·dh·Wp + kj·dw}, so each row is a single {@code arraycopy}; the product then has
 * {@code Wp - OW} junk columns per output row, dropped when compacting (and zeroed in {@code gradOut} for the
 * weight gradient). With OpenBLAS the float32 columns are written straight into its off-heap operands. A
 * unit-stride input gradient with enough channels is the forward of the flipped kernel over {@code gradOut}.
 * Images run in parallel, unless one image's product is big enough for OpenBLAS to thread it itself. The
 * float64 kernels take the plain im2col/col2im route: they are the reference the float32 paths are tested
 * against.
 *
 * <pre>{@code
 * float[] x = new float[1 * 1 * 28 * 28], w = new float[6 * 1 * 5 * 5], y = new float[1 * 6 * 24 * 24];
 * ConvKernels.conv2d(x, 1, 1, 28, 28, w, 6, 5, 5, 1, 1, 0, 0, 1, 1, 1, y);
 * }</pre>
 */
public final class ConvKernels {
    /** OpenBLAS runs a GEMM single-threaded below 64³ multiply-adds; above it, images go one at a time. */
    private static final long BLAS_THREADED_WORK = 1L << 18;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ConvKernels() {}

    /** Output extent of a window: {@code (in + 2·pad - dil·(k-1) - 1) / stride + 1}. */
    public static int outSize(int in, int k, int stride, int pad, int dil) {
        return Math.floorDiv(in + 2 * pad - dil * (k - 1) - 1, stride) + 1;
    }

    // ---- float32 -------------------------------------------------------------------------------------------

    /** Convolution: {@code out[N,O,OH,OW] = x[N,C,H,W] ⋆ w[O,C/groups,kh,kw]} (cross-correlation, no bias). */
    public static void conv2d(float[] x, int n, int c, int h, int w, float[] wt, int o, int kh, int kw, int sh,
            int sw, int ph, int pw, int dh, int dw, int groups, float[] out) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups,
                outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw));
        eachImage(g, img -> forwardImage(g, x, wt, out, img));
    }

    /**
     * Gradient of {@link #conv2d} w.r.t. its input, written (not added) into {@code gradX[N,C,H,W]}. This is
     * also the forward of a transposed convolution whose input is {@code gradOut[N,O,OH,OW]} and whose weight is
     * {@code w[O,C/groups,kh,kw]}; {@code H, W} may exceed the minimal size (output padding).
     */
    public static void conv2dBackwardInput(float[] gradOut, int n, int o, int oh, int ow, float[] wt, int c,
            int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups,
            float[] gradX) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
        Geom t = g.flipped();
        if (t != null && t.wide() && c / groups >= 8) { // unit stride: a forward conv of gradOut, kernel flipped
            float[] flipped = flip(g, wt);
            eachImage(t, img -> forwardImage(t, gradOut, flipped, gradX, img));
            return;
        }
        eachImage(g, img -> backwardInputImage(g, gradOut, wt, gradX, img));
    }

    /** Gradient of {@link #conv2d} w.r.t. its weight, written (not added) into {@code gradW[O,C/groups,kh,kw]}. */
    public static void conv2dBackwardWeight(float[] x, int n, int c, int h, int w, float[] gradOut, int o, int oh,
            int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, float[] gradW) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
        int parts = Math.min(n, g.blasThreaded() ? 1 : Parallel.threads());
        if (parts <= 1) {
            weightPart(g, x, gradOut, gradW, 0, n);
            return;
        }
        // NOTE: fixed parts summed in a fixed order, so the result does not depend on thread scheduling.
        float[][] partial = new float[parts][];
        Parallel.range(parts, Parallel.SERIAL_THRESHOLD, (from, to) -> {
            for (int t = from; t < to; t++) {
                partial[t] = t == 0 ? gradW : new float[o * g.ckk()];
                weightPart(g, x, gradOut, partial[t], (int) ((long) t * n / parts), (int) ((long) (t + 1) * n / parts));
            }
        });
        for (int t = 1; t < parts; t++) {
            float[] part = partial[t];
            for (int i = 0, size = o * g.ckk(); i < size; i++) {
                gradW[i] += part[i];
            }
        }
    }

    /**
     * Max pooling of {@code x[N,C,H,W]} into {@code out[N,C,OH,OW]}; padding counts as -∞, NaN wins; when
     * {@code argmax} is given it receives each maximum's flat index {@code h·W + w} within its plane.
     */
    public static void maxPool2d(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
            int pw, int dh, int dw, float[] out, int[] argmax) {
        Geom g = new Geom(n, c, h, w, c, kh, kw, sh, sw, ph, pw, dh, dw, 1,
                outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw));
        boolean twoByTwo = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1;
        Parallel.range(n * c, (long) g.p() * g.kk(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                if (twoByTwo) {
                    pool2x2Plane(g, x, plane, out, argmax);
                } else {
                    poolPlane(g, x, plane, out, argmax);
                }
            }
        });
    }

    /**
     * The common 2×2, stride-2 window without padding, unrolled: Math.max keeps the forward pass free of
     * data-dependent branches (3× faster than the general loop on random data).
     */
    private static void pool2x2Plane(Geom g, float[] x, int plane, float[] out, int[] argmax) {
        int w = g.w;
        int xb = plane * g.h * w;
        int ob = plane * g.p();
        for (int r = 0; r < g.oh; r++) {
            int row = xb + 2 * r * w;
            int o = ob + r * g.ow;
            for (int c = 0; c < g.ow; c++) {
                int i = row + 2 * c;
                float a = x[i];
                float b = x[i + 1];
                float d = x[i + w];
                float e = x[i + w + 1];
                if (argmax == null) {
                    out[o + c] = Math.max(Math.max(a, b), Math.max(d, e));
                } else {
                    int at = i;
                    float best = a;
                    if (b > best || b != b && best == best) {
                        best = b;
                        at = i + 1;
                    }
                    if (d > best || d != d && best == best) {
                        best = d;
                        at = i + w;
                    }
                    if (e > best || e != e && best == best) {
                        best = e;
                        at = i + w + 1;
                    }
                    out[o + c] = best;
                    argmax[o + c] = at - xb;
                }
            }
        }
    }

    /** Adds {@code gradOut[N,C,OH,OW]} into {@code gradX[N,C,H,W]} at the positions {@link #maxPool2d} chose. */
    public static void maxPool2dBackward(float[] gradOut, int[] argmax, int n, int c, int h, int w, int oh, int ow,
            float[] gradX) {
        int p = oh * ow;
        Parallel.range(n * c, p, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                for (int i = plane * p, end = i + p, base = plane * h * w; i < end; i++) {
                    if (argmax[i] >= 0) {
                        gradX[base + argmax[i]] += gradOut[i];
                    }
                }
            }
        });
    }

    private static void forwardImage(Geom g, float[] x, float[] wt, float[] out, int img) {
        if (g.wide()) {
            forwardWide(g, x, wt, out, img);
            return;
        }
        float[] cols = SCRATCH.get().colsS(g.rows() * g.p());
        im2col(g, x, img, cols);
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.sgemm(false, false, og, p, ckk, wt, gi * og * ckk, cols, gi * ckk * p, out,
                    (img * g.o + gi * og) * p, false);
        }
    }

    private static void backwardInputImage(Geom g, float[] gradOut, float[] wt, float[] gradX, int img) {
        float[] cols = SCRATCH.get().colsS(g.rows() * g.p());
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.sgemm(true, false, ckk, p, og, wt, gi * og * ckk, gradOut, (img * g.o + gi * og) * p, cols,
                    gi * ckk * p, false);
        }
        Arrays.fill(gradX, img * g.c * g.h * g.w, (img + 1) * g.c * g.h * g.w, 0f);
        for (int ci = 0; ci < g.c; ci++) {
            col2imChannel(g, cols, img, ci, gradX);
        }
    }

    /** Sums the weight gradient of images {@code [from, to)} into {@code gw}, overwriting it. */
    private static void weightPart(Geom g, float[] x, float[] gradOut, float[] gw, int from, int to) {
        if (from == to) {
            Arrays.fill(gw, 0, g.o * g.ckk(), 0f);
            return;
        }
        if (g.wide() && Gemm.nativeBlas()) {
            weightPartWideNative(g, x, gradOut, gw, from, to);
            return;
        }
        float[] cols = SCRATCH.get().colsS(g.rows() * g.p());
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int img = from; img < to; img++) {
            im2col(g, x, img, cols);
            for (int gi = 0; gi < g.groups; gi++) {
                Gemm.sgemm(false, true, og, ckk, p, gradOut, (img * g.o + gi * og) * p, cols, gi * ckk * p, gw,
                        gi * og * ckk, img > from);
            }
        }
    }

    /**
     * Column matrix {@code [C·kh·kw, OH·OW]} of one image, on the calling thread.
     * NOTE: not split across cores: image-parallel callers already use every core, and in image-serial mode
     * OpenBLAS's worker threads still spin after each product, so pool workers here would fight them.
     */
    private static void im2col(Geom g, float[] x, int img, float[] cols) {
        for (int ci = 0; ci < g.c; ci++) {
            im2colChannel(g, x, img, ci, cols);
        }
    }

    private static void im2colChannel(Geom g, float[] x, int img, int ci, float[] cols) {
        int plane = (img * g.c + ci) * g.h * g.w;
        for (int ki = 0, row = ci * g.kk() * g.p(); ki < g.kh; ki++) {
            for (int kj = 0; kj < g.kw; kj++) {
                int offW = kj * g.dw - g.pw;
                int lo = g.firstCol(offW);
                int hi = g.endCol(offW);
                for (int r = 0; r < g.oh; r++, row += g.ow) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih < 0 || ih >= g.h) {
                        Arrays.fill(cols, row, row + g.ow, 0f);
                        continue;
                    }
                    int src = plane + ih * g.w + offW;
                    Arrays.fill(cols, row, row + lo, 0f);
                    if (g.sw == 1) {
                        System.arraycopy(x, src + lo, cols, row + lo, hi - lo);
                    } else {
                        for (int oc = lo; oc < hi; oc++) {
                            cols[row + oc] = x[src + oc * g.sw];
                        }
                    }
                    Arrays.fill(cols, row + hi, row + g.ow, 0f);
                }
            }
        }
    }

    /** Adds the column rows of channel {@code ci} back onto its input plane (the adjoint of im2col). */
    private static void col2imChannel(Geom g, float[] cols, int img, int ci, float[] gx) {
        int plane = (img * g.c + ci) * g.h * g.w;
        for (int ki = 0, row = ci * g.kk() * g.p(); ki < g.kh; ki++) {
            for (int kj = 0; kj < g.kw; kj++) {
                int offW = kj * g.dw - g.pw;
                int lo = g.firstCol(offW);
                int hi = g.endCol(offW);
                for (int r = 0; r < g.oh; r++, row += g.ow) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih >= 0 && ih < g.h) {
                        int dst = plane + ih * g.w + offW;
                        for (int oc = lo; oc < hi; oc++) {
                            gx[dst + oc * g.sw] += cols[row + oc];
                        }
                    }
                }
            }
        }
    }

    /**
     * One plane of max pooling. NOTE: written without data-dependent branches (Math.max, and conditional moves
     * for the argmax): on random data a branch per element mispredicts half the time and costs ~4× the loop.
     * Like PyTorch, a NaN wins its window; ties go to the first position.
     */
    private static void poolPlane(Geom g, float[] x, int plane, float[] out, int[] argmax) {
        int base = plane * g.h * g.w;
        for (int r = 0, o = plane * g.p(); r < g.oh; r++) {
            for (int oc = 0; oc < g.ow; oc++, o++) {
                float best = Float.NEGATIVE_INFINITY;
                int arg = -1;
                for (int ki = 0; ki < g.kh; ki++) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih < 0 || ih >= g.h) {
                        continue;
                    }
                    for (int kj = 0; kj < g.kw; kj++) {
                        int iw = oc * g.sw - g.pw + kj * g.dw;
                        if (iw < 0 || iw >= g.w) {
                            continue;
                        }
                        float v = x[base + ih * g.w + iw];
                        if (argmax == null) {
                            best = Math.max(best, v);
                        } else {
                            boolean take = v > best | v != v | arg < 0;
                            best = take ? v : best;
                            arg = take ? ih * g.w + iw : arg;
                        }
                    }
                }
                out[o] = best;
                if (argmax != null) {
                    argmax[o] = arg;
                }
            }
        }
    }

    // ---- float32 fast paths: unit stride, wide columns, lowering straight into OpenBLAS's memory ---------

    /** Unit-stride forward over wide columns (see the class comment). */
    private static void forwardWide(Geom g, float[] x, float[] wt, float[] out, int img) {
        int xOff = img * g.c * g.h * g.w;
        if (g.ph == 0 && g.pw == 0) {
            forwardWide(g, x, xOff, wt, out, img);
        } else {
            float[] xp = SCRATCH.get().padS(g.c * g.hp() * g.wp());
            pad(g, x, xOff, xp);
            forwardWide(g, xp, 0, wt, out, img);
        }
    }

    /** {@link #forwardWide} on the padded image at {@code xp[xOff..]}. */
    private static void forwardWide(Geom g, float[] xp, int xOff, float[] wt, float[] out, int img) {
        if (Gemm.nativeBlas()) {
            forwardWideNative(g, xp, xOff, wt, out, img);
            return;
        }
        Scratch s = SCRATCH.get();
        int len = g.wideLen();
        float[] cols = xp;
        int colsOff = xOff;
        if (g.kk() != 1) { // a 1×1 kernel's wide columns are the input planes themselves
            cols = s.colsS(g.rows() * len);
            colsOff = 0;
            for (int row = 0; row < g.rows(); row++) {
                System.arraycopy(xp, xOff + g.wideShift(row), cols, row * len, len);
            }
        }
        boolean direct = len == g.p(); // no junk columns: write straight into out
        float[] dst = direct ? out : s.wideS(g.o * len);
        int dstOff = direct ? img * g.o * len : 0;
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.sgemm(false, false, g.og(), len, g.ckk(), wt, gi * g.og() * g.ckk(), cols,
                    colsOff + gi * g.ckk() * len, dst, dstOff + gi * g.og() * len, false);
        }
        if (!direct) {
            for (int oc = 0, to = img * g.o * g.p(); oc < g.o; oc++) {
                for (int r = 0; r < g.oh; r++, to += g.ow) {
                    System.arraycopy(dst, oc * len + r * g.wp(), out, to, g.ow);
                }
            }
        }
    }

    /** {@link #forwardWide} lowering straight into OpenBLAS's off-heap operands: no staging copies. */
    private static void forwardWideNative(Geom g, float[] xp, int xOff, float[] wt, float[] out, int img) {
        int len = g.wideLen();
        FloatBuffer a = Gemm.scratchS(0, g.o * g.ckk());
        FloatBuffer b = Gemm.scratchS(1, g.rows() * len);
        FloatBuffer c = Gemm.scratchS(2, g.o * len);
        a.put(0, wt, 0, g.o * g.ckk());
        for (int row = 0; row < g.rows(); row++) {
            b.put(row * len, xp, xOff + g.wideShift(row), len);
        }
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.sgemmScratch(false, false, g.og(), len, g.ckk(), gi * g.og() * g.ckk(), gi * g.ckk() * len,
                    gi * g.og() * len, false);
        }
        for (int oc = 0, to = img * g.o * g.p(); oc < g.o; oc++) {
            for (int r = 0; r < g.oh; r++, to += g.ow) {
                c.get(oc * len + r * g.wp(), out, to, g.ow);
            }
        }
    }

    /**
     * Weight gradient of images {@code [from, to)} over wide columns: {@code gradW += gradOut·colsᵀ}, with
     * gradOut spread to the wide row pitch and zero in the junk columns.
     */
    private static void weightPartWideNative(Geom g, float[] x, float[] gradOut, float[] gw, int from, int to) {
        int len = g.wideLen();
        FloatBuffer a = Gemm.scratchS(0, g.o * len);
        FloatBuffer b = Gemm.scratchS(1, g.rows() * len);
        FloatBuffer c = Gemm.scratchS(2, g.o * g.ckk());
        float[] zeros = new float[g.wp() - g.ow];
        for (int img = from; img < to; img++) {
            float[] xp = x;
            int xOff = img * g.c * g.h * g.w;
            if (g.ph != 0 || g.pw != 0) {
                xp = SCRATCH.get().padS(g.c * g.hp() * g.wp());
                pad(g, x, xOff, xp);
                xOff = 0;
            }
            for (int row = 0; row < g.rows(); row++) {
                b.put(row * len, xp, xOff + g.wideShift(row), len);
            }
            for (int oc = 0, src = img * g.o * g.p(); oc < g.o; oc++) {
                for (int r = 0; r < g.oh; r++, src += g.ow) {
                    a.put(oc * len + r * g.wp(), gradOut, src, g.ow);
                    if (r + 1 < g.oh) {
                        a.put(oc * len + r * g.wp() + g.ow, zeros, 0, zeros.length);
                    }
                }
            }
            for (int gi = 0; gi < g.groups; gi++) {
                Gemm.sgemmScratch(false, true, g.og(), g.ckk(), len, gi * g.og() * len, gi * g.ckk() * len,
                        gi * g.og() * g.ckk(), img > from);
            }
        }
        c.get(0, gw, 0, g.o * g.ckk());
    }

    /** Copies image planes into a zero border of {@code ph} rows and {@code pw} columns. */
    private static void pad(Geom g, float[] x, int xOff, float[] xp) {
        int wp = g.wp();
        Arrays.fill(xp, 0, g.c * g.hp() * wp, 0f);
        for (int ci = 0, src = xOff; ci < g.c; ci++) {
            int dst = (ci * g.hp() + g.ph) * wp + g.pw;
            for (int r = 0; r < g.h; r++, src += g.w, dst += wp) {
                System.arraycopy(x, src, xp, dst, g.w);
            }
        }
    }

    /** The weight of {@link Geom#flipped}: {@code w'[g·C/G + c, o, i, j] = w[g·O/G + o, c, kh-1-i, kw-1-j]}. */
    private static float[] flip(Geom g, float[] wt) {
        float[] f = new float[g.o * g.ckk()];
        int cg = g.c / g.groups;
        int og = g.og();
        int kk = g.kk();
        for (int oc = 0; oc < g.o; oc++) {
            int gi = oc / og;
            for (int ci = 0; ci < cg; ci++) {
                int src = (oc * cg + ci) * kk;
                int dst = ((gi * cg + ci) * og + oc % og) * kk;
                for (int i = 0; i < kk; i++) {
                    f[dst + i] = wt[src + kk - 1 - i];
                }
            }
        }
        return f;
    }

    // ---- float64: the plain lowering, the reference the float32 fast paths are tested against -------------

    /** The {@code double[]} twin of the {@code float[]} method of this name. */
    public static void conv2d(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw, int sh,
            int sw, int ph, int pw, int dh, int dw, int groups, double[] out) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups,
                outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw));
        eachImage(g, img -> forwardImage(g, x, wt, out, img));
    }

    /** The {@code double[]} twin of the {@code float[]} method of this name. */
    public static void conv2dBackwardInput(double[] gradOut, int n, int o, int oh, int ow, double[] wt, int c,
            int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups,
            double[] gradX) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
        eachImage(g, img -> backwardInputImage(g, gradOut, wt, gradX, img));
    }

    /** The {@code double[]} twin of the {@code float[]} method of this name. */
    public static void conv2dBackwardWeight(double[] x, int n, int c, int h, int w, double[] gradOut, int o, int oh,
            int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, double[] gradW) {
        Geom g = new Geom(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups, oh, ow);
        int parts = Math.min(n, g.blasThreaded() ? 1 : Parallel.threads());
        if (parts <= 1) {
            weightPart(g, x, gradOut, gradW, 0, n);
            return;
        }
        // NOTE: fixed parts summed in a fixed order, so the result does not depend on thread scheduling.
        double[][] partial = new double[parts][];
        Parallel.range(parts, Parallel.SERIAL_THRESHOLD, (from, to) -> {
            for (int t = from; t < to; t++) {
                partial[t] = t == 0 ? gradW : new double[o * g.ckk()];
                weightPart(g, x, gradOut, partial[t], (int) ((long) t * n / parts), (int) ((long) (t + 1) * n / parts));
            }
        });
        for (int t = 1; t < parts; t++) {
            double[] part = partial[t];
            for (int i = 0, size = o * g.ckk(); i < size; i++) {
                gradW[i] += part[i];
            }
        }
    }

    /** The {@code double[]} twin of the {@code float[]} method of this name. */
    public static void maxPool2d(double[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph,
            int pw, int dh, int dw, double[] out, int[] argmax) {
        Geom g = new Geom(n, c, h, w, c, kh, kw, sh, sw, ph, pw, dh, dw, 1,
                outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw));
        Parallel.range(n * c, (long) g.p() * g.kk(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                poolPlane(g, x, plane, out, argmax);
            }
        });
    }

    /** The {@code double[]} twin of the {@code float[]} method of this name. */
    public static void maxPool2dBackward(double[] gradOut, int[] argmax, int n, int c, int h, int w, int oh, int ow,
            double[] gradX) {
        int p = oh * ow;
        Parallel.range(n * c, p, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                for (int i = plane * p, end = i + p, base = plane * h * w; i < end; i++) {
                    if (argmax[i] >= 0) {
                        gradX[base + argmax[i]] += gradOut[i];
                    }
                }
            }
        });
    }

    private static void forwardImage(Geom g, double[] x, double[] wt, double[] out, int img) {
        double[] cols = SCRATCH.get().colsD(g.rows() * g.p());
        im2col(g, x, img, cols);
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.dgemm(false, false, og, p, ckk, wt, gi * og * ckk, cols, gi * ckk * p, out,
                    (img * g.o + gi * og) * p, false);
        }
    }

    private static void backwardInputImage(Geom g, double[] gradOut, double[] wt, double[] gradX, int img) {
        double[] cols = SCRATCH.get().colsD(g.rows() * g.p());
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int gi = 0; gi < g.groups; gi++) {
            Gemm.dgemm(true, false, ckk, p, og, wt, gi * og * ckk, gradOut, (img * g.o + gi * og) * p, cols,
                    gi * ckk * p, false);
        }
        Arrays.fill(gradX, img * g.c * g.h * g.w, (img + 1) * g.c * g.h * g.w, 0d);
        for (int ci = 0; ci < g.c; ci++) {
            col2imChannel(g, cols, img, ci, gradX);
        }
    }

    /** Sums the weight gradient of images {@code [from, to)} into {@code gw}, overwriting it. */
    private static void weightPart(Geom g, double[] x, double[] gradOut, double[] gw, int from, int to) {
        if (from == to) {
            Arrays.fill(gw, 0, g.o * g.ckk(), 0d);
            return;
        }
        double[] cols = SCRATCH.get().colsD(g.rows() * g.p());
        int p = g.p();
        int og = g.og();
        int ckk = g.ckk();
        for (int img = from; img < to; img++) {
            im2col(g, x, img, cols);
            for (int gi = 0; gi < g.groups; gi++) {
                Gemm.dgemm(false, true, og, ckk, p, gradOut, (img * g.o + gi * og) * p, cols, gi * ckk * p, gw,
                        gi * og * ckk, img > from);
            }
        }
    }

    /**
     * Column matrix {@code [C·kh·kw, OH·OW]} of one image, on the calling thread.
     * NOTE: not split across cores: image-parallel callers already use every core, and in image-serial mode
     * OpenBLAS's worker threads still spin after each product, so pool workers here would fight them.
     */
    private static void im2col(Geom g, double[] x, int img, double[] cols) {
        for (int ci = 0; ci < g.c; ci++) {
            im2colChannel(g, x, img, ci, cols);
        }
    }

    private static void im2colChannel(Geom g, double[] x, int img, int ci, double[] cols) {
        int plane = (img * g.c + ci) * g.h * g.w;
        for (int ki = 0, row = ci * g.kk() * g.p(); ki < g.kh; ki++) {
            for (int kj = 0; kj < g.kw; kj++) {
                int offW = kj * g.dw - g.pw;
                int lo = g.firstCol(offW);
                int hi = g.endCol(offW);
                for (int r = 0; r < g.oh; r++, row += g.ow) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih < 0 || ih >= g.h) {
                        Arrays.fill(cols, row, row + g.ow, 0d);
                        continue;
                    }
                    int src = plane + ih * g.w + offW;
                    Arrays.fill(cols, row, row + lo, 0d);
                    if (g.sw == 1) {
                        System.arraycopy(x, src + lo, cols, row + lo, hi - lo);
                    } else {
                        for (int oc = lo; oc < hi; oc++) {
                            cols[row + oc] = x[src + oc * g.sw];
                        }
                    }
                    Arrays.fill(cols, row + hi, row + g.ow, 0d);
                }
            }
        }
    }

    /** Adds the column rows of channel {@code ci} back onto its input plane (the adjoint of im2col). */
    private static void col2imChannel(Geom g, double[] cols, int img, int ci, double[] gx) {
        int plane = (img * g.c + ci) * g.h * g.w;
        for (int ki = 0, row = ci * g.kk() * g.p(); ki < g.kh; ki++) {
            for (int kj = 0; kj < g.kw; kj++) {
                int offW = kj * g.dw - g.pw;
                int lo = g.firstCol(offW);
                int hi = g.endCol(offW);
                for (int r = 0; r < g.oh; r++, row += g.ow) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih >= 0 && ih < g.h) {
                        int dst = plane + ih * g.w + offW;
                        for (int oc = lo; oc < hi; oc++) {
                            gx[dst + oc * g.sw] += cols[row + oc];
                        }
                    }
                }
            }
        }
    }

    /**
     * One plane of max pooling. NOTE: written without data-dependent branches (Math.max, and conditional moves
     * for the argmax): on random data a branch per element mispredicts half the time and costs ~4× the loop.
     * Like PyTorch, a NaN wins its window; ties go to the first position.
     */
    private static void poolPlane(Geom g, double[] x, int plane, double[] out, int[] argmax) {
        int base = plane * g.h * g.w;
        for (int r = 0, o = plane * g.p(); r < g.oh; r++) {
            for (int oc = 0; oc < g.ow; oc++, o++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = -1;
                for (int ki = 0; ki < g.kh; ki++) {
                    int ih = r * g.sh - g.ph + ki * g.dh;
                    if (ih < 0 || ih >= g.h) {
                        continue;
                    }
                    for (int kj = 0; kj < g.kw; kj++) {
                        int iw = oc * g.sw - g.pw + kj * g.dw;
                        if (iw < 0 || iw >= g.w) {
                            continue;
                        }
                        double v = x[base + ih * g.w + iw];
                        if (argmax == null) {
                            best = Math.max(best, v);
                        } else {
                            boolean take = v > best | v != v | arg < 0;
                            best = take ? v : best;
                            arg = take ? ih * g.w + iw : arg;
                        }
                    }
                }
                out[o] = best;
                if (argmax != null) {
                    argmax[o] = arg;
                }
            }
        }
    }

    // ---- shared ------------------------------------------------------------------------------------------

    /** Runs {@code body} for every image: in parallel, or in order when OpenBLAS threads each image itself. */
    private static void eachImage(Geom g, IntConsumer body) {
        if (g.blasThreaded()) {
            for (int img = 0; img < g.n; img++) {
                body.accept(img);
            }
            return;
        }
        Parallel.range(g.n, g.gemmWork() / 16 + (long) g.rows() * g.p(), (from, to) -> {
            for (int img = from; img < to; img++) {
                body.accept(img);
            }
        });
    }

    /** The window geometry of one call; {@code oh, ow} are the output extents. */
    private record Geom(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
            int dw, int groups, int oh, int ow) {
        Geom {
            if (groups <= 0 || c % groups != 0 || o % groups != 0) {
                throw new IllegalArgumentException("channels " + c + " -> " + o + " not divisible by groups " + groups);
            }
            if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0 || kh <= 0 || kw <= 0) {
                throw new IllegalArgumentException("bad window: kernel " + kh + "x" + kw + ", stride " + sh + "x" + sw
                        + ", padding " + ph + "x" + pw + ", dilation " + dh + "x" + dw);
            }
            if (oh < 0 || ow < 0) {
                throw new IllegalArgumentException("window larger than the padded input " + h + "x" + w);
            }
        }

        int og() {
            return o / groups;
        }

        int kk() {
            return kh * kw;
        }

        /** Column rows per group: {@code C/groups · kh · kw}. */
        int ckk() {
            return c / groups * kk();
        }

        /** Column rows of all groups. */
        int rows() {
            return c * kk();
        }

        int p() {
            return oh * ow;
        }

        long gemmWork() {
            return (long) o * ckk() * p();
        }

        boolean blasThreaded() {
            return Gemm.nativeBlas() && gemmWork() >= BLAS_THREADED_WORK;
        }

        int hp() {
            return h + 2 * ph;
        }

        int wp() {
            return w + 2 * pw;
        }

        /** Length of a wide column row: output rows at the padded input's row pitch. */
        int wideLen() {
            return (oh - 1) * wp() + ow;
        }

        /** Where wide column row {@code (ci, ki, kj)} starts in the padded image. */
        int wideShift(int row) {
            int ci = row / kk();
            int ki = row % kk() / kw;
            int kj = row % kw;
            return (ci * hp() + ki * dh) * wp() + kj * dw;
        }

        /**
         * The convolution whose forward is this one's input gradient, when the stride is 1: input
         * {@code gradOut}, weight flipped and transposed ({@code flip}), padding {@code d·(k-1) - p}; null when
         * that padding would be negative or the sizes do not round-trip (then the generic path runs).
         * NOTE: used only from 8 input channels per group: its product has C/groups rows, and with fewer the
         * generic GEMM + col2im measured faster (LeNet's C=1 and C=6: 0.9 ms vs 1.2 ms single-threaded; C=16,
         * 32×32: 6.8 ms vs 12 ms the other way).
         */
        Geom flipped() {
            int fph = dh * (kh - 1) - ph;
            int fpw = dw * (kw - 1) - pw;
            if (sh != 1 || sw != 1 || fph < 0 || fpw < 0 || outSize(oh, kh, 1, fph, dh) != h
                    || outSize(ow, kw, 1, fpw, dw) != w) {
                return null;
            }
            return new Geom(n, o, oh, ow, c, kh, kw, 1, 1, fph, fpw, dh, dw, groups, h, w);
        }

        /** Unit stride with at most 50% junk columns: the wide lowering pays. */
        boolean wide() {
            return sh == 1 && sw == 1 && p() > 0 && 2L * wideLen() <= 3L * p();
        }

        /** First output column whose input column {@code oc·sw + offW} lies inside the image. */
        int firstCol(int offW) {
            return Math.min(ow, Math.max(0, -Math.floorDiv(offW, sw)));
        }

        /** One past the last output column whose input column lies inside the image. */
        int endCol(int offW) {
            return Math.max(firstCol(offW), Math.min(ow, Math.floorDiv(w - 1 - offW, sw) + 1));
        }
    }

    /** Per-thread buffers that grow and are reused: columns, and for float32 padded input and wide output. */
    private static final class Scratch {
        private float[] colsS = new float[0];
        private float[] padS = new float[0];
        private float[] wideS = new float[0];
        private double[] colsD = new double[0];

        float[] colsS(int size) {
            return colsS.length >= size ? colsS : (colsS = new float[size]);
        }

        float[] padS(int size) {
            return padS.length >= size ? padS : (padS = new float[size]);
        }

        float[] wideS(int size) {
            return wideS.length >= size ? wideS : (wideS = new float[size]);
        }

        double[] colsD(int size) {
            return colsD.length >= size ? colsD : (colsD = new double[size]);
        }
    }
}
