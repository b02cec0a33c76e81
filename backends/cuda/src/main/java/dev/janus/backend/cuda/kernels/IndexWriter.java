package dev.janus.backend.cuda.kernels;

import dev.janus.DType;

/**
 * Writes GATHER and SCATTER_ADD kernels, one thread per output element. Both report an index outside
 * {@code [0, axisSize)} through {@code bad} (a {@code long long[2]} the caller zeroes: a flag, then one offending
 * index) instead of reading out of bounds; the caller then throws the CPU's error.
 *
 * <ul>
 *   <li>gather {@code (out, index, x, bad, count, axis, axisSize, index dims d0.., x strides s0..)}:
 *       {@code out[p] = x[p's coordinates with index[p] on axis]}.
 *   <li>scatter-add {@code (out, self, index, src, bad, count, axis, axisSize, self dims e0.., index dims d0..,
 *       index strides t0..)}: each output element starts from {@code self} and adds, in index order, every
 *       {@code src} entry whose index names it. NOTE: gathered per output rather than scattered with atomics, so
 *       the sums are deterministic and in the CPU's order (bit-exact); the cost per thread is the index's extent on
 *       the axis, so the executor runs it here only when that extent is small.
 * </ul>
 */
final class IndexWriter {
    private static final String LOOP = "    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < count;"
            + " i += (long long) blockDim.x * gridDim.x) {\n";

    private IndexWriter() {}

    static String gather(DType value, DType index, int rank, String name) {
        String t = StepSource.cType(value);
        StringBuilder b = new StringBuilder("extern \"C\" __global__ void ").append(name).append("(").append(t)
                .append("* __restrict__ out, const ").append(StepSource.cType(index)).append("* __restrict__ index, const ")
                .append(t).append("* __restrict__ x, long long* bad, long long count, long long axis, long long axisSize");
        params(b, "d", rank);
        params(b, "s", rank);
        b.append(") {\n");
        arrays(b, rank, "d", "s");
        b.append(LOOP)
                .append("        long long v = (long long) index[i];\n")
                .append("        if (v < 0 || v >= axisSize) { bad[0] = 1; bad[1] = v; out[i] = 0; continue; }\n")
                .append("        long long rem = i, off = 0;\n")
                .append("        for (int k = ").append(rank - 1).append("; k >= 0; k--) {\n")
                .append("            long long c = rem % d[k];\n")
                .append("            rem /= d[k];\n")
                .append("            off += (k == axis ? v : c) * s[k];\n")
                .append("        }\n")
                .append("        out[i] = x[off];\n")
                .append("    }\n}\n");
        return b.toString();
    }

    static String scatterAdd(DType value, DType index, int rank, String name) {
        String t = StepSource.cType(value);
        StringBuilder b = new StringBuilder("extern \"C\" __global__ void ").append(name).append("(").append(t)
                .append("* __restrict__ out, const ").append(t).append("* __restrict__ self, const ")
                .append(StepSource.cType(index)).append("* __restrict__ index, const ").append(t)
                .append("* __restrict__ src, long long* bad, long long count, long long axis, long long axisSize");
        params(b, "e", rank);
        params(b, "d", rank);
        params(b, "t", rank);
        b.append(") {\n");
        arrays(b, rank, "e", "d", "t");
        b.append(LOOP)
                .append("        long long rem = i, base = 0, target = 0;\n")
                .append("        bool inside = true;\n")
                .append("        for (int k = ").append(rank - 1).append("; k >= 0; k--) {\n")
                .append("            long long c = rem % e[k];\n")
                .append("            rem /= e[k];\n")
                .append("            if (k == axis) { target = c; continue; }\n")
                .append("            if (c >= d[k]) inside = false;\n")
                .append("            base += c * t[k];\n")
                .append("        }\n")
                .append("        ").append(t).append(" acc = self[i];\n")
                .append("        if (inside) {\n")
                .append("            for (long long k = 0; k < d[axis]; k++) {\n")
                .append("                long long p = base + k * t[axis], v = (long long) index[p];\n")
                .append("                if (v < 0 || v >= axisSize) { if (target == 0) { bad[0] = 1; bad[1] = v; } continue; }\n")
                .append("                if (v == target) acc += src[p];\n")
                .append("            }\n")
                .append("        }\n")
                .append("        out[i] = acc;\n")
                .append("    }\n}\n");
        return b.toString();
    }

    private static void params(StringBuilder b, String prefix, int rank) {
        for (int k = 0; k < rank; k++) {
            b.append(", long long ").append(prefix).append(k);
        }
    }

    /** Local arrays over the per-axis arguments, so the index arithmetic can loop over axes. */
    private static void arrays(StringBuilder b, int rank, String... prefixes) {
        for (String p : prefixes) {
            b.append("    const long long ").append(p).append('[').append(rank).append("] = {");
            for (int k = 0; k < rank; k++) {
                b.append(k == 0 ? "" : ", ").append(p).append(k);
            }
            b.append("};\n");
        }
    }
}
