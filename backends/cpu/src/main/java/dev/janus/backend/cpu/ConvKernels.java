package dev.janus.backend.cpu;

/**
 * Convolution and max-pooling kernels on NCHW arrays. Convolutions lower each image and group to one GEMM
 * over an im2col matrix ({@code [C/groups·kh·kw, OH·OW]}); a stride-1 convolution with few input channels
 * (LeNet's first layer) runs a direct loop instead, whose inner loop over output columns HotSpot vectorizes.
 * Float32 and float64 share the index arithmetic through {@link Geometry}.
 */
final class ConvKernels {
    /** Direct convolution pays off while the reduction per output (C/groups·kh·kw) is this small. */
    private static final int DIRECT_MAX_REDUCTION = 32;

    private ConvKernels() {}

    /** Index arithmetic of one convolution: input, kernel and output extents with stride, padding, dilation. */
    private record Geometry(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int sh, int sw, int ph,
            int pw, int dh, int dw, int groups) {
        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        int ckk() {
            return cg() * kh * kw;
        }

        int ohw() {
            return oh * ow;
        }

        static Geometry of(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
                int dw, int groups) {
            int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
            int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
            return new Geometry(n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        }
    }

    // ------------------------------------------------------------------ forward

    /** out[N,O,OH,OW] = conv(x[N,C,H,W], w[O,C/groups,kh,kw]); no bias. */
    static void conv2d(float[] x, int n, int c, int h, int wd, float[] w, int o, int kh, int kw, int sh, int sw, int ph,
            int pw, int dh, int dw, int groups, float[] out) {
        Geometry g = Geometry.of(n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        if (sw == 1 && g.ckk() <= DIRECT_MAX_REDUCTION) {
            Parallel.range(n * groups, (long) g.og() * g.ckk() * g.ohw(), (s, e) -> {
                for (int i = s; i < e; i++) {
                    directF(x, w, out, g, i / groups, i % groups);
                }
            });
            return;
        }
        Parallel.range(n, (long) g.o() * g.ckk() * g.ohw(), (s, e) -> {
            float[] cols = new float[g.ckk() * g.ohw()];
            for (int img = s; img < e; img++) {
                for (int grp = 0; grp < groups; grp++) {
                    im2colF(x, img, grp, g, cols);
                    Gemm.sgemm(false, false, g.og(), g.ohw(), g.ckk(), w, grp * g.og() * g.ckk(), cols, 0, out,
                            (img * g.o() + grp * g.og()) * g.ohw(), false);
                }
            }
        });
    }

    /** Double-precision {@link #conv2d(float[], int, int, int, int, float[], int, int, int, int, int, int, int, int, int, int, float[])}. */
    static void conv2d(double[] x, int n, int c, int h, int wd, double[] w, int o, int kh, int kw, int sh, int sw, int ph,
            int pw, int dh, int dw, int groups, double[] out) {
        Geometry g = Geometry.of(n, c, h, wd, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        double[] cols = new double[g.ckk() * g.ohw()];
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                im2colD(x, img, grp, g, cols);
                Gemm.dgemm(false, false, g.og(), g.ohw(), g.ckk(), w, grp * g.og() * g.ckk(), cols, 0, out,
                        (img * g.o() + grp * g.og()) * g.ohw(), false);
            }
        }
    }

    /** Direct stride-1 (along W) convolution of one image and group; the j loop is contiguous in x and out. */
    private static void directF(float[] x, float[] w, float[] out, Geometry g, int img, int grp) {
        int ohw = g.ohw();
        for (int oc = 0; oc < g.og(); oc++) {
            int outBase = (img * g.o() + grp * g.og() + oc) * ohw;
            java.util.Arrays.fill(out, outBase, outBase + ohw, 0f);
            for (int ci = 0; ci < g.cg(); ci++) {
                int xBase = (img * g.c() + grp * g.cg() + ci) * g.h() * g.w();
                for (int ki = 0; ki < g.kh(); ki++) {
                    for (int kj = 0; kj < g.kw(); kj++) {
                        float wv = w[(((grp * g.og() + oc) * g.cg() + ci) * g.kh() + ki) * g.kw() + kj];
                        int colShift = kj * g.dw() - g.pw();
                        int jFrom = Math.max(0, -colShift);
                        int jTo = Math.min(g.ow(), g.w() - colShift);
                        for (int i = 0; i < g.oh(); i++) {
                            int row = i * g.sh() + ki * g.dh() - g.ph();
                            if (row < 0 || row >= g.h()) {
                                continue;
                            }
                            int xo = xBase + row * g.w() + colShift;
                            int oo = outBase + i * g.ow();
                            for (int j = jFrom; j < jTo; j++) {
                                out[oo + j] += wv * x[xo + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void im2colF(float[] x, int img, int grp, Geometry g, float[] cols) {
        int ohw = g.ohw();
        for (int ci = 0; ci < g.cg(); ci++) {
            int xBase = (img * g.c() + grp * g.cg() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int r = ((ci * g.kh() + ki) * g.kw() + kj) * ohw;
                    for (int i = 0; i < g.oh(); i++) {
                        int row = i * g.sh() + ki * g.dh() - g.ph();
                        for (int j = 0; j < g.ow(); j++) {
                            int col = j * g.sw() + kj * g.dw() - g.pw();
                            boolean inside = row >= 0 && row < g.h() && col >= 0 && col < g.w();
                            cols[r + i * g.ow() + j] = inside ? x[xBase + row * g.w() + col] : 0f;
                        }
                    }
                }
            }
        }
    }

    private static void im2colD(double[] x, int img, int grp, Geometry g, double[] cols) {
        int ohw = g.ohw();
        for (int ci = 0; ci < g.cg(); ci++) {
            int xBase = (img * g.c() + grp * g.cg() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int r = ((ci * g.kh() + ki) * g.kw() + kj) * ohw;
                    for (int i = 0; i < g.oh(); i++) {
                        int row = i * g.sh() + ki * g.dh() - g.ph();
                        for (int j = 0; j < g.ow(); j++) {
                            int col = j * g.sw() + kj * g.dw() - g.pw();
                            boolean inside = row >= 0 && row < g.h() && col >= 0 && col < g.w();
                            cols[r + i * g.ow() + j] = inside ? x[xBase + row * g.w() + col] : 0;
                        }
                    }
                }
            }
        }
    }

    /** Adds columns back onto the image positions they were read from (the adjoint of im2col). */
    private static void col2imF(float[] cols, int img, int grp, Geometry g, float[] x) {
        int ohw = g.ohw();
        for (int ci = 0; ci < g.cg(); ci++) {
            int xBase = (img * g.c() + grp * g.cg() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int r = ((ci * g.kh() + ki) * g.kw() + kj) * ohw;
                    for (int i = 0; i < g.oh(); i++) {
                        int row = i * g.sh() + ki * g.dh() - g.ph();
                        if (row < 0 || row >= g.h()) {
                            continue;
                        }
                        for (int j = 0; j < g.ow(); j++) {
                            int col = j * g.sw() + kj * g.dw() - g.pw();
                            if (col >= 0 && col < g.w()) {
                                x[xBase + row * g.w() + col] += cols[r + i * g.ow() + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static void col2imD(double[] cols, int img, int grp, Geometry g, double[] x) {
        int ohw = g.ohw();
        for (int ci = 0; ci < g.cg(); ci++) {
            int xBase = (img * g.c() + grp * g.cg() + ci) * g.h() * g.w();
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++) {
                    int r = ((ci * g.kh() + ki) * g.kw() + kj) * ohw;
                    for (int i = 0; i < g.oh(); i++) {
                        int row = i * g.sh() + ki * g.dh() - g.ph();
                        if (row < 0 || row >= g.h()) {
                            continue;
                        }
                        for (int j = 0; j < g.ow(); j++) {
                            int col = j * g.sw() + kj * g.dw() - g.pw();
                            if (col >= 0 && col < g.w()) {
                                x[xBase + row * g.w() + col] += cols[r + i * g.ow() + j];
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ backward (and transposed convolution)

    /**
     * gradX[N,C,H,W] from gradOut[N,O,OH,OW] and w[O,C/groups,kh,kw]. This is also the forward pass of a
     * transposed convolution whose input is gradOut.
     */
    static void conv2dBackwardInput(float[] gradOut, int n, int o, int oh, int ow, float[] w, int c, int h, int wd, int kh,
            int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, float[] gradX) {
        Geometry g = new Geometry(n, c, h, wd, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        java.util.Arrays.fill(gradX, 0, n * c * h * wd, 0f);
        Parallel.range(n, (long) g.o() * g.ckk() * g.ohw(), (s, e) -> {
            float[] cols = new float[g.ckk() * g.ohw()];
            for (int img = s; img < e; img++) {
                for (int grp = 0; grp < groups; grp++) {
                    Gemm.sgemm(true, false, g.ckk(), g.ohw(), g.og(), w, grp * g.og() * g.ckk(), gradOut,
                            (img * g.o() + grp * g.og()) * g.ohw(), cols, 0, false);
                    col2imF(cols, img, grp, g, gradX);
                }
            }
        });
    }

    static void conv2dBackwardInput(double[] gradOut, int n, int o, int oh, int ow, double[] w, int c, int h, int wd, int kh,
            int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, double[] gradX) {
        Geometry g = new Geometry(n, c, h, wd, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        java.util.Arrays.fill(gradX, 0, n * c * h * wd, 0);
        double[] cols = new double[g.ckk() * g.ohw()];
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                Gemm.dgemm(true, false, g.ckk(), g.ohw(), g.og(), w, grp * g.og() * g.ckk(), gradOut,
                        (img * g.o() + grp * g.og()) * g.ohw(), cols, 0, false);
                col2imD(cols, img, grp, g, gradX);
            }
        }
    }

    /** gradW[O,C/groups,kh,kw] = Σ over images of gradOut · im2col(x)ᵀ. */
    static void conv2dBackwardWeight(float[] x, int n, int c, int h, int wd, float[] gradOut, int o, int oh, int ow, int kh,
            int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, float[] gradW) {
        Geometry g = new Geometry(n, c, h, wd, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        java.util.Arrays.fill(gradW, 0, o * g.ckk(), 0f);
        float[] cols = new float[g.ckk() * g.ohw()];
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                im2colF(x, img, grp, g, cols);
                Gemm.sgemm(false, true, g.og(), g.ckk(), g.ohw(), gradOut, (img * g.o() + grp * g.og()) * g.ohw(), cols, 0,
                        gradW, grp * g.og() * g.ckk(), true);
            }
        }
    }

    static void conv2dBackwardWeight(double[] x, int n, int c, int h, int wd, double[] gradOut, int o, int oh, int ow, int kh,
            int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups, double[] gradW) {
        Geometry g = new Geometry(n, c, h, wd, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        java.util.Arrays.fill(gradW, 0, o * g.ckk(), 0);
        double[] cols = new double[g.ckk() * g.ohw()];
        for (int img = 0; img < n; img++) {
            for (int grp = 0; grp < groups; grp++) {
                im2colD(x, img, grp, g, cols);
                Gemm.dgemm(false, true, g.og(), g.ckk(), g.ohw(), gradOut, (img * g.o() + grp * g.og()) * g.ohw(), cols, 0,
                        gradW, grp * g.og() * g.ckk(), true);
            }
        }
    }

    // ------------------------------------------------------------------ max pooling

    /** Max pooling; padding counts as -inf; {@code argmax} (if given) receives the flat h·W+w of each winner. */
    static void maxPool2d(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
            int dw, float[] out, int[] argmax) {
        double[] wide = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            wide[i] = x[i];
        }
        double[] o = new double[out.length];
        maxPool2d(wide, n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, o, argmax);
        for (int i = 0; i < o.length; i++) {
            out[i] = (float) o[i];
        }
    }

    static void maxPool2d(double[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
            int dw, double[] out, int[] argmax) {
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        int ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        Parallel.range(n * c, (long) oh * ow * kh * kw, (s, e) -> {
            for (int plane = s; plane < e; plane++) {
                int xb = plane * h * w;
                int ob = plane * oh * ow;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int where = -1;
                        for (int ki = 0; ki < kh; ki++) {
                            int row = i * sh + ki * dh - ph;
                            if (row < 0 || row >= h) {
                                continue;
                            }
                            for (int kj = 0; kj < kw; kj++) {
                                int col = j * sw + kj * dw - pw;
                                if (col < 0 || col >= w) {
                                    continue;
                                }
                                double v = x[xb + row * w + col];
                                if (v > best || where < 0 || v != v) {
                                    best = v;
                                    where = row * w + col;
                                    if (v != v) {
                                        break;
                                    }
                                }
                            }
                        }
                        out[ob + i * ow + j] = best;
                        if (argmax != null) {
                            argmax[ob + i * ow + j] = where;
                        }
                    }
                }
            }
        });
    }

    /** Routes each output gradient to the input position that won its window. */
    static void maxPool2dBackward(float[] gradOut, int[] argmax, int n, int c, int h, int w, int oh, int ow, float[] gradX) {
        java.util.Arrays.fill(gradX, 0, n * c * h * w, 0f);
        for (int plane = 0; plane < n * c; plane++) {
            for (int k = 0; k < oh * ow; k++) {
                int at = argmax[plane * oh * ow + k];
                if (at >= 0) {
                    gradX[plane * h * w + at] += gradOut[plane * oh * ow + k];
                }
            }
        }
    }

    static void maxPool2dBackward(double[] gradOut, int[] argmax, int n, int c, int h, int w, int oh, int ow, double[] gradX) {
        java.util.Arrays.fill(gradX, 0, n * c * h * w, 0);
        for (int plane = 0; plane < n * c; plane++) {
            for (int k = 0; k < oh * ow; k++) {
                int at = argmax[plane * oh * ow + k];
                if (at >= 0) {
                    gradX[plane * h * w + at] += gradOut[plane * oh * ow + k];
                }
            }
        }
    }
}
