package dev.janus.io;

import static dev.janus.io.OnnxImportOps.one;
import static dev.janus.io.OnnxPrims.add;
import static dev.janus.io.OnnxPrims.ap;
import static dev.janus.io.OnnxPrims.cast;
import static dev.janus.io.OnnxPrims.scalar;
import static dev.janus.io.OnnxPrims.where;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** ONNX shape, movement, indexing and constant-making ops in Janus primitives (see {@link OnnxImportOps}). */
final class OnnxImportShapes {
    private OnnxImportShapes() {}

    static List<Tensor> apply(OnnxNode n) {
        return switch (n.op()) {
            case "Constant" -> one(constant(n));
            case "Reshape" -> one(reshape(n));
            case "Flatten" -> one(flatten(n));
            case "Transpose" -> one(transpose(n));
            case "Squeeze" -> one(squeeze(n));
            case "Unsqueeze" -> one(unsqueeze(n));
            case "Expand" -> one(expand(n));
            case "Slice" -> one(slice(n));
            case "Pad" -> one(pad(n));
            case "Concat" -> one(concat(n));
            case "Split" -> split(n);
            case "Tile" -> one(tile(n));
            case "Shape" -> one(shape(n));
            case "Size" -> one(size(n));
            case "ConstantOfShape" -> one(constantOfShape(n));
            case "Range" -> one(range(n));
            case "EyeLike" -> one(eyeLike(n));
            case "Trilu" -> one(trilu(n));
            case "DepthToSpace", "SpaceToDepth" -> one(depthSpace(n));
            default -> OnnxImportIndexing.apply(n);
        };
    }

    static int axisOf(OnnxNode n) {
        return OnnxPrims.axis(n.i("axis", 0), n.in(0).shape().rank());
    }

    private static Tensor constant(OnnxNode n) {
        AttributeProto a = n.proto.attributes().isEmpty() ? null : n.proto.attributes().get(0);
        if (a == null) {
            throw n.malformed("has no value attribute");
        }
        return switch (a.name()) {
            case "value" -> fromProto(n, a);
            case "value_float" -> Tensor.scalar(a.f(), DType.FLOAT32);
            case "value_int" -> Tensor.scalar(a.i(), DType.INT64);
            case "value_floats" -> {
                double[] d = new double[a.floats().length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = a.floats()[i];
                }
                yield Tensor.of(d).cast(DType.FLOAT32);
            }
            case "value_ints" -> Tensor.of(a.ints().clone());
            default -> throw n.unsupported("constant attribute '" + a.name() + "' (Janus has no string or sparse tensors)");
        };
    }

    private static Tensor fromProto(OnnxNode n, AttributeProto a) {
        try {
            return OnnxTensors.fromProto(a.t(), "Constant '" + n.outputNames().get(0) + "'");
        } catch (ModelFormatException e) {
            throw n.malformed(e.getMessage());
        }
    }

    /** 0 copies the input's dim (unless allowzero), -1 is inferred; a copied dynamic dim stays dynamic. */
    private static Tensor reshape(OnnxNode n) {
        Tensor x = n.in(0);
        long[] target = n.has(1) ? n.constLongs(1) : n.ints("shape");
        boolean allowZero = n.i("allowzero", 0) != 0;
        int[] from = new int[target.length];
        Arrays.fill(from, -1);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && !allowZero) {
                target[i] = x.shape().dim(i);
                from[i] = i;
            }
        }
        return OnnxPrims.reshapeFollowing(x, target, from);
    }

    private static Tensor flatten(OnnxNode n) {
        Tensor x = n.in(0);
        int r = x.shape().rank();
        long axis = n.i("axis", 1);
        int a = (int) (axis < 0 ? axis + r : axis);
        if (a < 0 || a > r) {
            throw n.malformed("axis " + axis + " is out of range for rank " + r);
        }
        long[] target = {x.shape().numel(0, a), x.shape().numel(a, r)};
        int[] from = {a == 1 ? 0 : -1, a == r - 1 ? r - 1 : -1};
        return OnnxPrims.reshapeFollowing(x, target, from);
    }

    private static Tensor transpose(OnnxNode n) {
        Tensor x = n.in(0);
        int r = x.shape().rank();
        long[] perm = n.ints("perm");
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = perm == null ? r - 1 - i : (int) perm[i];
        }
        return OnnxPrims.permute(x, p);
    }

    private static Tensor squeeze(OnnxNode n) {
        Tensor x = n.in(0);
        long[] given = n.axes("axes", 1);
        int r = x.shape().rank();
        boolean[] drop = new boolean[r];
        if (given == null) {
            for (int i = 0; i < r; i++) {
                drop[i] = x.shape().dim(i) == 1;
            }
        } else {
            for (int a : OnnxPrims.axes(given, r)) {
                if (x.shape().dim(a) != 1) {
                    throw n.malformed("cannot squeeze axis " + a + " of size " + x.shape().dim(a));
                }
                drop[a] = true;
            }
        }
        List<Long> target = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (!drop[i]) {
                target.add(x.shape().dim(i));
                from.add(i);
            }
        }
        return OnnxPrims.reshapeFollowing(x, target.stream().mapToLong(Long::longValue).toArray(),
                from.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Tensor unsqueeze(OnnxNode n) {
        Tensor x = n.in(0);
        long[] given = n.axes("axes", 1);
        int r = x.shape().rank() + given.length;
        boolean[] added = new boolean[r];
        for (int a : OnnxPrims.axes(given, r)) {
            added[a] = true;
        }
        long[] target = new long[r];
        int[] from = new int[r];
        for (int i = 0, j = 0; i < r; i++) {
            target[i] = added[i] ? 1 : x.shape().dim(j);
            from[i] = added[i] ? -1 : j++;
        }
        return OnnxPrims.reshapeFollowing(x, target, from);
    }

    /** ONNX Expand broadcasts both ways: the output is the broadcast of the input's shape and the given one. */
    private static Tensor expand(OnnxNode n) {
        Tensor x = n.in(0);
        Shape target = Shape.broadcast(x.shape(), Shape.of(n.constLongs(1)));
        if (target.rank() > x.shape().rank()) {
            long[] d = new long[target.rank()];
            Arrays.fill(d, 1);
            System.arraycopy(x.shape().dims(), 0, d, target.rank() - x.shape().rank(), x.shape().rank());
            x = OnnxPrims.reshape(x, d);
        }
        return OnnxPrims.expand(x, target.dims());
    }

    /** Numpy-style bounds; a negative step is a flip followed by a positive-step slice. */
    private static Tensor slice(OnnxNode n) {
        Tensor x = n.in(0);
        boolean old = n.opset < 10;
        long[] starts = old ? n.ints("starts") : n.constLongs(1);
        long[] ends = old ? n.ints("ends") : n.constLongs(2);
        long[] axesIn = old ? n.ints("axes") : n.has(3) ? n.constLongs(3) : null;
        long[] steps = !old && n.has(4) ? n.constLongs(4) : null;
        int r = x.shape().rank();
        long[] s = new long[r];
        long[] e = x.shape().dims();
        long[] st = new long[r];
        Arrays.fill(st, 1);
        List<Integer> flips = new ArrayList<>();
        for (int k = 0; k < starts.length; k++) {
            int a = axesIn == null ? k : OnnxPrims.axis(axesIn[k], r);
            long d = x.shape().dim(a);
            long step = steps == null ? 1 : steps[k];
            if (step == 0) {
                throw n.malformed("step 0 on axis " + a);
            }
            if (step > 0) {
                s[a] = clamp(starts[k] < 0 ? starts[k] + d : starts[k], 0, d);
                e[a] = Math.max(s[a], clamp(ends[k] < 0 ? ends[k] + d : ends[k], 0, d));
                st[a] = step;
            } else {
                long from = clamp(starts[k] < 0 ? starts[k] + d : starts[k], -1, d - 1);
                long to = clamp(ends[k] < 0 ? ends[k] + d : ends[k], -1, d - 1);
                s[a] = d - 1 - from;
                e[a] = Math.max(s[a], d - 1 - to);
                st[a] = -step;
                flips.add(a);
            }
        }
        Tensor in = flips.isEmpty() ? x : OnnxPrims.flip(x, flips.stream().mapToInt(Integer::intValue).toArray());
        return ap(Op.SLICE, Attrs.of("starts", s, "stops", e, "steps", st), in);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Constant mode; negative pads crop. Other modes (reflect, edge) are not supported. */
    private static Tensor pad(OnnxNode n) {
        Tensor x = n.in(0);
        String mode = n.s("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("edge") && !mode.equals("reflect")) {
            throw n.unsupported("mode '" + mode + "' (constant, edge and reflect are supported)");
        }
        long[] pads = n.opset < 11 ? n.ints("pads") : n.constLongs(1);
        double value = n.opset < 11 ? n.f("value", 0f) : n.has(2) ? n.constDoubles(2)[0] : 0;
        int r = x.shape().rank();
        long[] axesIn = n.opset >= 18 && n.has(3) ? n.constLongs(3) : null;
        long[] before = new long[r];
        long[] after = new long[r];
        int count = axesIn == null ? r : axesIn.length;
        for (int k = 0; k < count; k++) {
            int a = axesIn == null ? k : OnnxPrims.axis(axesIn[k], r);
            before[a] = pads[k];
            after[a] = pads[k + count];
        }
        long[] s = new long[r];
        long[] e = x.shape().dims();
        long[] st = new long[r];
        boolean crop = false;
        for (int a = 0; a < r; a++) {
            st[a] = 1;
            if (before[a] < 0) {
                s[a] = -before[a];
                before[a] = 0;
                crop = true;
            }
            if (after[a] < 0) {
                e[a] += after[a];
                after[a] = 0;
                crop = true;
            }
        }
        Tensor y = crop ? ap(Op.SLICE, Attrs.of("starts", s, "stops", e, "steps", st), x) : x;
        if (!mode.equals("constant")) {
            return OnnxImportIndexing.padByIndex(n, y, before, after, mode.equals("reflect"));
        }
        return ap(Op.PAD, Attrs.of("before", before, "after", after, "value", value), y);
    }

    private static Tensor concat(OnnxNode n) {
        Tensor[] xs = new Tensor[n.inputCount()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = n.in(i);
        }
        return ap(Op.CONCAT, Attrs.of("axis", OnnxPrims.axis(n.i("axis", 0), xs[0].shape().rank())), xs);
    }

    private static List<Tensor> split(OnnxNode n) {
        Tensor x = n.in(0);
        int axis = axisOf(n);
        long d = x.shape().dim(axis);
        long[] sizes = n.ints("split") != null ? n.ints("split") : n.has(1) ? n.constLongs(1) : null;
        int parts = n.outputCount();
        if (sizes == null) {
            long each = (d + parts - 1) / parts;
            sizes = new long[parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.max(0, Math.min(each, d - i * each));
            }
        }
        List<Tensor> out = new ArrayList<>();
        long at = 0;
        for (long size : sizes) {
            out.add(OnnxPrims.slice(x, axis, at, at + size, 1));
            at += size;
        }
        return out;
    }

    /** Tile: each axis gets a new size-r axis in front, expanded, then merged. */
    private static Tensor tile(OnnxNode n) {
        Tensor x = n.in(0);
        long[] reps = n.constLongs(1);
        int r = x.shape().rank();
        long[] split = new long[2 * r];
        long[] expanded = new long[2 * r];
        long[] merged = new long[r];
        for (int a = 0; a < r; a++) {
            split[2 * a] = 1;
            split[2 * a + 1] = x.shape().dim(a);
            expanded[2 * a] = reps[a];
            expanded[2 * a + 1] = x.shape().dim(a);
            merged[a] = reps[a] * x.shape().dim(a);
        }
        return OnnxPrims.reshape(OnnxPrims.expand(OnnxPrims.reshape(x, split), expanded), merged);
    }

    private static void requireStatic(OnnxNode n, Tensor x) {
        if (x instanceof SymbolicTensor s && s.value().dynamicDims() != 0) {
            throw n.unsupported("the shape of " + s.value().typeString() + " has dynamic dims (Janus shapes are static)");
        }
    }

    private static Tensor size(OnnxNode n) {
        requireStatic(n, n.in(0));
        return Tensor.scalar(n.in(0).numel(), DType.INT64);
    }

    private static Tensor shape(OnnxNode n) {
        Tensor x = n.in(0);
        requireStatic(n, x);
        long[] d = x.shape().dims();
        int r = d.length;
        int start = (int) clamp(n.i("start", 0) < 0 ? n.i("start", 0) + r : n.i("start", 0), 0, r);
        long endAttr = n.i("end", r);
        int end = (int) clamp(endAttr < 0 ? endAttr + r : endAttr, 0, r);
        return Tensor.of(Arrays.copyOfRange(d, start, Math.max(start, end)));
    }

    private static Tensor constantOfShape(OnnxNode n) {
        long[] dims = n.constLongs(0);
        AttributeProto v = n.attr("value");
        Tensor value = v == null ? Tensor.scalar(0, DType.FLOAT32) : fromProto(n, v);
        return Tensor.full(value.cast(DType.FLOAT64).toDoubleArray()[0], value.dtype(), dims);
    }

    private static Tensor range(OnnxNode n) {
        double start = n.constDoubles(0)[0];
        double limit = n.constDoubles(1)[0];
        double delta = n.constDoubles(2)[0];
        long count = Math.max((long) Math.ceil((limit - start) / delta), 0);
        double[] v = new double[(int) count];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * delta;
        }
        return Tensor.of(v).cast(n.in(0).dtype());
    }

    private static Tensor eyeLike(OnnxNode n) {
        Tensor x = n.in(0);
        long k = n.i("k", 0);
        long rows = x.shape().dim(0);
        long cols = x.shape().dim(1);
        double[] v = new double[(int) (rows * cols)];
        for (long i = 0; i < rows; i++) {
            if (i + k >= 0 && i + k < cols) {
                v[(int) (i * cols + i + k)] = 1;
            }
        }
        DType t = n.attr("dtype") != null ? OnnxTensors.dtype((int) n.i("dtype", 1), "EyeLike's dtype") : x.dtype();
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            return OnnxTensors.shaped(Tensor.of(v).cast(t), Shape.of(rows, cols));
        }
    }

    /** Upper (or lower) triangle of the last two axes from diagonal k, as a constant mask. */
    private static Tensor trilu(OnnxNode n) {
        Tensor x = n.in(0);
        long k = n.has(1) ? n.constLongs(1)[0] : 0;
        boolean upper = n.i("upper", 1) != 0;
        long rows = x.shape().dim(-2);
        long cols = x.shape().dim(-1);
        boolean[] keep = new boolean[(int) (rows * cols)];
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                keep[(int) (i * cols + j)] = upper ? j - i >= k : j - i <= k;
            }
        }
        Tensor mask = OnnxTensors.shaped(Tensor.of(keep), Shape.of(rows, cols));
        return where(mask, x, scalar(0, x));
    }

    /** DepthToSpace (DCR or CRD) and SpaceToDepth as reshape, transpose, reshape. */
    private static Tensor depthSpace(OnnxNode n) {
        Tensor x = n.in(0);
        long b = n.i("blocksize", 1);
        long[] d = x.shape().dims();
        if (n.op().equals("SpaceToDepth")) {
            Tensor y = OnnxPrims.reshape(x, d[0], d[1], d[2] / b, b, d[3] / b, b);
            y = OnnxPrims.permute(y, 0, 3, 5, 1, 2, 4);
            return OnnxPrims.reshape(y, d[0], d[1] * b * b, d[2] / b, d[3] / b);
        }
        boolean crd = n.s("mode", "DCR").equals("CRD");
        Tensor y = crd ? OnnxPrims.reshape(x, d[0], d[1] / (b * b), b, b, d[2], d[3])
                : OnnxPrims.reshape(x, d[0], b, b, d[1] / (b * b), d[2], d[3]);
        y = crd ? OnnxPrims.permute(y, 0, 1, 4, 2, 5, 3) : OnnxPrims.permute(y, 0, 3, 4, 1, 5, 2);
        return OnnxPrims.reshape(y, d[0], d[1] / (b * b), d[2] * b, d[3] * b);
    }
}
