package dev.janus.backend.cuda.kernels;

import dev.janus.DType;

/**
 * Writes the CUDA C of the convolution and pooling kernels ({@link WindowKernel.Kind}), one thread per output element
 * with a grid-stride loop. Every kernel but the swaps takes {@code (pointers..., long long count, N, C, H, W, KH, KW,
 * SH, SW, PH, PW, DH, DW, OH, OW)} ({@link Window#scalarArgs}); the swaps take {@code (out, in[, bias], count, D0, D1,
 * P)}. Pointers: IM2COL {@code (cols, x)}, COL2IM {@code (x, cols)}, MAX_POOL {@code (out, x)}, the gradients
 * {@code (gradX, gradOut, x)}.
 *
 * <p>NOTE: the gradients gather instead of scattering: each input element sums what it receives, in the order
 * the CPU kernels add it, so results are deterministic without atomics (and the pooling gradient is bit-exact).
 */
final class WindowWriter {
    private static final String GEOMETRY = "long long count, long long N, long long C, long long H, long long W,"
            + " long long KH, long long KW, long long SH, long long SW, long long PH, long long PW, long long DH,"
            + " long long DW, long long OH, long long OW";
    private static final String LOOP = "    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < count;"
            + " i += (long long) blockDim.x * gridDim.x) {\n";

    private WindowWriter() {}

    static String write(WindowKernel.Kind kind, DType dtype, String name) {
        String t = StepSource.cType(dtype);
        return switch (kind) {
            case IM2COL -> im2col(t, name);
            case COL2IM -> col2im(t, name);
            case SWAP, SWAP_BIAS -> swap(t, name, kind == WindowKernel.Kind.SWAP_BIAS);
            case MAX_POOL -> maxPool(t, name);
            case MAX_POOL_GRAD -> maxPoolGrad(t, name, false);
            case MAX_POOL_GRAD_FIRST_NAN -> maxPoolGrad(t, name, true);
        };
    }

    private static String head(String name, String pointers) {
        return "extern \"C\" __global__ void " + name + "(" + pointers + ", " + GEOMETRY + ") {\n";
    }

    /** cols[(ci·KH + ki)·KW + kj][img][r·OW + oc] = x[img][ci][r·SH - PH + ki·DH][oc·SW - PW + kj·DW], 0 outside. */
    private static String im2col(String t, String name) {
        return head(name, t + "* __restrict__ cols, const " + t + "* __restrict__ x") + LOOP
                + "        long long P = OH * OW, q = i % P, rest = i / P, img = rest % N, row = rest / N;\n"
                + "        long long kj = row % KW, ki = row / KW % KH, ci = row / (KW * KH);\n"
                + "        long long ih = q / OW * SH - PH + ki * DH, iw = q % OW * SW - PW + kj * DW;\n"
                + "        cols[i] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? x[((img * C + ci) * H + ih) * W + iw] : ("
                + t + ") 0;\n"
                + "    }\n}\n";
    }

    /** Each x element sums the column entries it was copied to, window offsets (ki, kj) in order like the CPU. */
    private static String col2im(String t, String name) {
        return head(name, t + "* __restrict__ x, const " + t + "* __restrict__ cols") + LOOP
                + "        long long iw = i % W, ih = i / W % H, ci = i / (W * H) % C, img = i / (W * H * C);\n"
                + "        long long P = OH * OW;\n"
                + "        " + t + " acc = 0;\n"
                + "        for (long long ki = 0; ki < KH; ki++) {\n"
                + "            long long r = ih + PH - ki * DH;\n"
                + "            if (r < 0 || r % SH != 0 || r / SH >= OH) continue;\n"
                + "            r /= SH;\n"
                + "            for (long long kj = 0; kj < KW; kj++) {\n"
                + "                long long oc = iw + PW - kj * DW;\n"
                + "                if (oc < 0 || oc % SW != 0 || oc / SW >= OW) continue;\n"
                + "                oc /= SW;\n"
                + "                acc += cols[(((ci * KH + ki) * KW + kj) * N + img) * P + r * OW + oc];\n"
                + "            }\n"
                + "        }\n"
                + "        x[i] = acc;\n"
                + "    }\n}\n";
    }

    private static String swap(String t, String name, boolean bias) {
        return "extern \"C\" __global__ void " + name + "(" + t + "* __restrict__ out, const " + t + "* __restrict__ in"
                + (bias ? ", const " + t + "* __restrict__ bias" : "")
                + ", long long count, long long D0, long long D1, long long P) {\n" + LOOP
                + "        long long q = i % P, b = i / P % D1, a = i / (P * D1);\n"
                + "        out[i] = in[(b * D0 + a) * P + q]" + (bias ? " + bias[b]" : "") + ";\n"
                + "    }\n}\n";
    }

    /** Java's Math.max from -∞ over the in-bounds window positions, as the CPU kernel: NaN wins, +0 over -0. */
    private static String maxPool(String t, String name) {
        return head(name, t + "* __restrict__ out, const " + t + "* __restrict__ x") + LOOP
                + "        long long oc = i % OW, r = i / OW % OH, plane = i / (OW * OH);\n"
                + "        const " + t + "* xp = x + plane * H * W;\n"
                + "        " + t + " best = (" + t + ") -__longlong_as_double(0x7ff0000000000000LL);\n"
                + "        for (long long ki = 0; ki < KH; ki++) {\n"
                + "            long long ih = r * SH - PH + ki * DH;\n"
                + "            if (ih < 0 || ih >= H) continue;\n"
                + "            for (long long kj = 0; kj < KW; kj++) {\n"
                + "                long long iw = oc * SW - PW + kj * DW;\n"
                + "                if (iw < 0 || iw >= W) continue;\n"
                + "                best = janus_max(best, xp[ih * W + iw]);\n"
                + "            }\n"
                + "        }\n"
                + "        out[i] = best;\n"
                + "    }\n}\n";
    }

    /**
     * Each x element adds gradOut of every window whose argmax it is, windows in row-major order (the CPU's
     * order). The argmax follows the CPU: the first position, then any larger value or NaN; with
     * {@code firstNan} a NaN replaces only a non-NaN best (the CPU's unrolled 2×2 float32 path).
     */
    private static String maxPoolGrad(String t, String name, boolean firstNan) {
        String nanTake = firstNan ? "(v != v && best == best)" : "v != v";
        return head(name, t + "* __restrict__ gx, const " + t + "* __restrict__ gout, const " + t + "* __restrict__ x")
                + LOOP
                + "        long long pos = i % (H * W), plane = i / (H * W), ih0 = pos / W, iw0 = pos % W;\n"
                + "        const " + t + "* xp = x + plane * H * W;\n"
                + "        long long top = ih0 + PH - (KH - 1) * DH, left = iw0 + PW - (KW - 1) * DW;\n"
                + "        long long r0 = top <= 0 ? 0 : (top + SH - 1) / SH, r1 = (ih0 + PH) / SH;\n"
                + "        long long c0 = left <= 0 ? 0 : (left + SW - 1) / SW, c1 = (iw0 + PW) / SW;\n"
                + "        if (r1 > OH - 1) r1 = OH - 1;\n"
                + "        if (c1 > OW - 1) c1 = OW - 1;\n"
                + "        " + t + " acc = 0;\n"
                + "        for (long long r = r0; r <= r1; r++) {\n"
                + "            for (long long oc = c0; oc <= c1; oc++) {\n"
                + "                " + t + " best = (" + t + ") -__longlong_as_double(0x7ff0000000000000LL);\n"
                + "                long long arg = -1;\n"
                + "                for (long long ki = 0; ki < KH; ki++) {\n"
                + "                    long long ih = r * SH - PH + ki * DH;\n"
                + "                    if (ih < 0 || ih >= H) continue;\n"
                + "                    for (long long kj = 0; kj < KW; kj++) {\n"
                + "                        long long iw = oc * SW - PW + kj * DW;\n"
                + "                        if (iw < 0 || iw >= W) continue;\n"
                + "                        " + t + " v = xp[ih * W + iw];\n"
                + "                        if (v > best || " + nanTake + " || arg < 0) { best = v; arg = ih * W + iw; }\n"
                + "                    }\n"
                + "                }\n"
                + "                if (arg == pos) acc += gout[(plane * OH + r) * OW + oc];\n"
                + "            }\n"
                + "        }\n"
                + "        gx[i] = acc;\n"
                + "    }\n}\n";
    }
}
