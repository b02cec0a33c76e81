package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.bin;
import static dev.janus.io.OnnxPrims.cast;
import static dev.janus.io.OnnxPrims.mul;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.sub;
import static dev.janus.io.OnnxPrims.where;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX indexing ops in Janus primitives: Gather (numpy take) and GatherND through Janus's take-along-axis
 * gather, scatters through scatter_add, OneHot, ReverseSequence, and edge/reflect padding as gathers with
 * constant indices.
 */
final class OnnxImportIndexing {
    private OnnxImportIndexing() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "Gather" -> one(gather(n.in(0), n.in(1), (int) n.i("axis", 0)));
            case "GatherElements" -> one(ap(Op.GATHER, Attrs.of("axis", OnnxImportShapes.axisOf(n)), n.in(0),
                    index(n.in(1), n.in(0), OnnxImportShapes.axisOf(n))));
            case "GatherND" -> one(gatherNd(n));
            case "ScatterElements", "Scatter" -> one(scatter(n));
            case "ScatterND" -> one(scatterNd(n));
            case "OneHot" -> one(oneHot(n));
            case "ReverseSequence" -> one(reverseSequence(n));
            default -> OnnxImportNn.apply(n);
        };
    }

    /** An index tensor as i64 with negative entries counted from the end of {@code data}'s axis. */
    static Tensor index(Tensor idx, Tensor data, int axis) {
        Tensor i = cast(idx, DType.INT64);
        Tensor size = scalar(data.shape().dim(axis), DType.INT64);
        return where(bin(Op.LT, i, scalar(0, DType.INT64)), add(i, size), i);
    }

    /**
     * ONNX Gather (numpy take): out = data[:axis] ++ indices.shape ++ data[axis+1:]; Janus's gather is
     * take-along-axis, so the flattened indices are expanded over the other axes first.
     */
    static Tensor gather(Tensor data, Tensor indices, int axisAttr) {
        int r = data.shape().rank();
        int axis = OnnxPrims.axis(axisAttr, r);
        long k = indices.numel();
        long[] lined = new long[r];
        Arrays.fill(lined, 1);
        lined[axis] = k;
        long[] full = data.shape().dims();
        full[axis] = k;
        Tensor idx = OnnxPrims.expand(OnnxPrims.reshape(index(indices, data, axis), lined), full);
        Tensor g = ap(Op.GATHER, Attrs.of("axis", axis), data, idx);
        long[] d = data.shape().dims();
        long[] i = indices.shape().dims();
        long[] out = new long[r - 1 + i.length];
        System.arraycopy(d, 0, out, 0, axis);
        System.arraycopy(i, 0, out, axis, i.length);
        System.arraycopy(d, axis + 1, out, axis + i.length, r - axis - 1);
        return OnnxPrims.reshape(g, out);
    }

    /** ScatterElements: add maps to scatter_add; none (replace) keeps data where no index hits. */
    private static Tensor scatter(OnnxNode n) {
        Tensor data = n.in(0);
        int axis = OnnxImportShapes.axisOf(n);
        String reduction = n.s("reduction", "none");
        if (!reduction.equals("none") && !reduction.equals("add")) {
            throw n.unsupported("reduction '" + reduction + "' (none and add are supported)");
        }
        return scatterInto(n, data, index(n.in(1), data, axis), n.in(2), axis, reduction);
    }

    private static Tensor oneHot(OnnxNode n) {
        Tensor idx = n.in(0);
        long depth = (long) n.constDoubles(1)[0];
        Tensor values = n.in(2);
        int r = idx.shape().rank() + 1;
        int axis = OnnxPrims.axis(n.i("axis", -1), r);
        Tensor i = cast(idx, DType.INT64);
        i = where(bin(Op.LT, i, scalar(0, i)), add(i, scalar(depth, i)), i);
        long[] lined = new long[r];
        Arrays.fill(lined, 1);
        lined[axis] = depth;
        long[] ar = new long[(int) depth];
        for (int k = 0; k < ar.length; k++) {
            ar[k] = k;
        }
        Tensor hot = bin(Op.EQ, OnnxPrims.unsqueeze(i, axis), OnnxPrims.reshape(Tensor.of(ar), lined));
        Tensor off = OnnxPrims.reshape(OnnxPrims.slice(values, 0, 0, 1, 1));
        Tensor on = OnnxPrims.reshape(OnnxPrims.slice(values, 0, 1, 2, 1));
        return where(hot, on, off);
    }


    /**
     * GatherND (batch_dims 0): the index tuples over the first m axes become one linear index into data seen
     * as [prod(d[:m]), d[m:]...], which a Gather on axis 0 takes.
     */
    private static Tensor gatherNd(OnnxNode n) {
        if (n.i("batch_dims", 0) != 0) {
            throw n.unsupported("batch_dims other than 0");
        }
        Tensor data = n.in(0);
        long[] d = data.shape().dims();
        int m = (int) n.in(1).shape().dim(-1);
        Tensor linear = linearIndex(n.in(1), d, m);
        long[] rest = Arrays.copyOfRange(d, m, d.length);
        long[] flat = new long[rest.length + 1];
        flat[0] = data.shape().numel(0, m);
        System.arraycopy(rest, 0, flat, 1, rest.length);
        return gather(OnnxPrims.reshape(data, flat), linear, 0);
    }

    /** The row-major linear index of the tuples in the last axis of {@code idx} (negatives wrap) over dims[:m]. */
    private static Tensor linearIndex(Tensor idx, long[] dims, int m) {
        Tensor i = cast(idx, DType.INT64);
        long[] size = Arrays.copyOf(dims, m);
        long[] stride = new long[m];
        long acc = 1;
        for (int k = m - 1; k >= 0; k--) {
            stride[k] = acc;
            acc *= dims[k];
        }
        Tensor sizes = Tensor.of(size);
        i = where(bin(Op.LT, i, scalar(0, i)), add(i, sizes), i);
        return OnnxPrims.reduce(Op.SUM, mul(i, Tensor.of(stride)), new int[] {i.shape().rank() - 1}, false);
    }

    /** ScatterND (reduction none or add) as a scatter over the linear index on data seen as [prod(d[:m]), ...]. */
    private static Tensor scatterNd(OnnxNode n) {
        Tensor data = n.in(0);
        String reduction = n.s("reduction", "none");
        if (!reduction.equals("none") && !reduction.equals("add")) {
            throw n.unsupported("reduction '" + reduction + "' (none and add are supported)");
        }
        long[] d = data.shape().dims();
        int m = (int) n.in(1).shape().dim(-1);
        Tensor linear = linearIndex(n.in(1), d, m);
        long k = linear.numel();
        long[] rest = Arrays.copyOfRange(d, m, d.length);
        long[] flat = new long[rest.length + 1];
        flat[0] = data.shape().numel(0, m);
        System.arraycopy(rest, 0, flat, 1, rest.length);
        long[] upd = flat.clone();
        upd[0] = k;
        long[] lined = new long[flat.length];
        Arrays.fill(lined, 1);
        lined[0] = k;
        Tensor idx = OnnxPrims.expand(OnnxPrims.reshape(linear, lined), upd);
        Tensor u = OnnxPrims.reshape(n.in(2), upd);
        Tensor x = OnnxPrims.reshape(data, flat);
        return OnnxPrims.reshape(scatterInto(n, x, idx, u, 0, reduction), d);
    }

    /** Scatter of {@code upd} into {@code data} along {@code axis}: add, or replace where an index hits. */
    private static Tensor scatterInto(OnnxNode n, Tensor data, Tensor idx, Tensor upd, int axis, String reduction) {
        if (data.dtype() == DType.BOOL) {
            throw n.unsupported("bool data (Janus scatters numbers)");
        }
        Attrs a = Attrs.of("axis", axis);
        if (reduction.equals("add")) {
            return ap(Op.SCATTER_ADD, a, data, idx, upd);
        }
        Tensor zeros = OnnxPrims.expand(scalar(0, data), data.shape().dims());
        Tensor hits = ap(Op.SCATTER_ADD, a, zeros, idx, OnnxPrims.expand(scalar(1, upd), upd.shape().dims()));
        return where(bin(Op.GT, hits, scalar(0, hits)), ap(Op.SCATTER_ADD, a, zeros, idx, upd), data);
    }

    /** ReverseSequence: along the time axis, position t of batch b reads len[b]-1-t while t < len[b]. */
    private static Tensor reverseSequence(OnnxNode n) {
        Tensor x = n.in(0);
        int timeAxis = (int) n.i("time_axis", 0);
        int batchAxis = (int) n.i("batch_axis", 1);
        long steps = x.shape().dim(timeAxis);
        long batch = x.shape().dim(batchAxis);
        long[] t = new long[(int) steps];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        long[] tShape = new long[x.shape().rank()];
        Arrays.fill(tShape, 1);
        tShape[timeAxis] = steps;
        long[] bShape = new long[x.shape().rank()];
        Arrays.fill(bShape, 1);
        bShape[batchAxis] = batch;
        Tensor time = OnnxPrims.reshape(Tensor.of(t), tShape);
        Tensor len = OnnxPrims.reshape(cast(n.in(1), DType.INT64), bShape);
        Tensor rev = where(bin(Op.LT, time, len), sub(sub(len, scalar(1, len)), time), time);
        return ap(Op.GATHER, Attrs.of("axis", timeAxis), x, OnnxPrims.expand(rev, x.shape().dims()));
    }

    /** Edge or reflect padding: per padded axis, a gather with constant source indices. */
    static Tensor padByIndex(OnnxNode n, Tensor x, long[] before, long[] after, boolean reflect) {
        Tensor y = x;
        for (int a = 0; a < before.length; a++) {
            if (before[a] == 0 && after[a] == 0) {
                continue;
            }
            long d = y.shape().dim(a);
            if (d == 0 || reflect && d == 1) {
                throw n.unsupported("padding an axis of size " + d + " in this mode");
            }
            long[] src = new long[(int) (before[a] + d + after[a])];
            for (int i = 0; i < src.length; i++) {
                long j = i - before[a];
                if (reflect) {
                    long period = 2 * (d - 1);
                    j = Math.floorMod(j, period);
                    src[i] = j < d ? j : period - j;
                } else {
                    src[i] = Math.max(0, Math.min(d - 1, j));
                }
            }
            y = gather(y, Tensor.of(src), a);
        }
        return y;
    }
}
