package dev.janus;

/**
 * Prints tensors the way numpy and PyTorch do: nested brackets, aligned columns, and an ellipsis for large
 * tensors (the first and last three entries of each long dimension).
 */
final class TensorFormat {
    private static final int SUMMARIZE_ABOVE = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        Shape s = t.shape();
        String suffix = "shape=" + s + ", dtype=" + t.dtype().shortName()
                + (t.device().equals(Device.CPU) ? "" : ", device=" + t.device()) + (t.requiresGrad() ? ", requiresGrad" : "");
        double[] v = t.toDoubleArray();
        boolean summarize = v.length > SUMMARIZE_ABOVE;
        boolean integral = !t.dtype().isFloating();
        boolean bool = t.dtype() == DType.BOOL;
        int width = 0;
        for (int i : shownIndices(s, summarize)) {
            width = Math.max(width, element(v[i], integral, bool).length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        append(sb, v, s, 0, 0, summarize, integral, bool, "tensor(".length(), width);
        return sb.append(", ").append(suffix).append(')').toString();
    }

    /** Flat indices of the elements that will be printed, so columns align to the widest of them only. */
    private static java.util.List<Integer> shownIndices(Shape s, boolean summarize) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        collect(out, s, 0, 0, summarize);
        return out;
    }

    private static void collect(java.util.List<Integer> out, Shape s, int axis, long offset, boolean summarize) {
        if (axis == s.rank()) {
            out.add((int) offset);
            return;
        }
        long n = s.dim(axis);
        long stride = s.numel(axis + 1, s.rank());
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                i = n - EDGE;
            }
            collect(out, s, axis + 1, offset + i * stride, summarize);
        }
    }

    private static void append(StringBuilder sb, double[] v, Shape s, int axis, long offset, boolean summarize,
            boolean integral, boolean bool, int indent, int width) {
        if (axis == s.rank()) {
            String e = element(v[(int) offset], integral, bool);
            sb.append(" ".repeat(width - e.length())).append(e);
            return;
        }
        long n = s.dim(axis);
        long stride = s.numel(axis + 1, s.rank());
        sb.append('[');
        for (long i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(axis == s.rank() - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
                i = n - EDGE;
            }
            append(sb, v, s, axis + 1, offset + i * stride, summarize, integral, bool, indent, width);
            if (i < n - 1) {
                sb.append(axis == s.rank() - 1 ? ", " : ",\n" + " ".repeat(indent + axis + 1));
            }
        }
        sb.append(']');
    }

    private static String element(double x, boolean integral, boolean bool) {
        if (bool) {
            return x != 0 ? "true" : "false";
        }
        if (integral) {
            return Long.toString((long) x);
        }
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(x);
        return a != 0 && (a >= 1e8 || a < 1e-4) ? String.format(java.util.Locale.ROOT, "%.4e", x)
                : String.format(java.util.Locale.ROOT, "%.4f", x);
    }
}
