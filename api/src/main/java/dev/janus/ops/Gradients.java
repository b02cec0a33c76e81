package dev.janus.ops;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.Arrays;

/**
 * The gradient (vector–Jacobian product) of every primitive, as one table written with {@link Tensor}
 * methods. Because the rules are ordinary tensor code, the eager tape and graph autodiff share them, and
 * gradients of gradients work wherever the rules' own ops are differentiable.
 *
 * <p>{@code vjp} returns one entry per input: the gradient with respect to that input, or null where the
 * input carries none (indices, conditions, comparison outputs).
 */
public final class Gradients {
    private Gradients() {}

    /** Gradients of {@code op}'s inputs given the gradient {@code g} of its output {@code out}. */
    public static Tensor[] vjp(Op op, Attrs a, Tensor[] in, Tensor out, Tensor g) {
        return vjp(op, a, in, out, g, null);
    }

    /**
     * As above, computing only the entries {@code needed} marks (null: all). The rules whose products are costly
     * (matmul, convolutions) skip the others, which then are null: a LeNet step no longer convolves back to the
     * images, which need no gradient. Cheap rules compute every entry anyway.
     */
    public static Tensor[] vjp(Op op, Attrs a, Tensor[] in, Tensor out, Tensor g, boolean[] needed) {
        Tensor x = in[0];
        return switch (op) {
            case NEG -> one(g.neg());
            case ABS -> one(g.mul(x.sign()));
            case SIGN, FLOOR, CEIL, ROUND -> one(Tensor.zerosLike(x));
            case EXP -> one(g.mul(out));
            case LOG -> one(g.div(x));
            case LOG1P -> one(g.div(x.add(1.0)));
            case EXPM1 -> one(g.mul(out.add(1.0)));
            case SQRT -> one(g.div(out.mul(2.0)));
            case RSQRT -> one(g.mul(out.mul(out).mul(out)).mul(-0.5));
            case SIN -> one(g.mul(x.cos()));
            case COS -> one(g.mul(x.sin()).neg());
            case TAN -> one(g.mul(out.mul(out).add(1.0)));
            case TANH -> one(g.mul(out.mul(out).rsub(1.0)));
            case SIGMOID -> one(g.mul(out).mul(out.rsub(1.0)));
            case RELU -> one(g.mul(x.gt(0.0).cast(g.dtype())));
            case ERF -> one(g.mul(x.mul(x).neg().exp()).mul(2 / Math.sqrt(Math.PI)));
            case CAST -> one(x.dtype().isFloating() ? g.cast(x.dtype()) : null);
            case NOT, IS_NAN, IS_INF, EQ, NE, LT, LE, GT, GE, AND, OR, XOR, ARGMAX, ARGMIN, STOP_GRADIENT -> new Tensor[in.length];
            case ADD -> two(sumTo(g, x.shape()), sumTo(g, in[1].shape()));
            case SUB -> two(sumTo(g, x.shape()), sumTo(g.neg(), in[1].shape()));
            case MUL -> two(sumTo(g.mul(in[1]), x.shape()), sumTo(g.mul(x), in[1].shape()));
            case DIV -> two(sumTo(g.div(in[1]), x.shape()), sumTo(g.mul(out).div(in[1]).neg(), in[1].shape()));
            case POW -> pow(x, in[1], out, g);
            case MAXIMUM, MINIMUM -> extremum(op, x, in[1], g);
            case WHERE -> new Tensor[] {null,
                    sumTo(Tensor.where(in[0], g, Tensor.zerosLike(g)), in[1].shape()),
                    sumTo(Tensor.where(in[0], Tensor.zerosLike(g), g), in[2].shape())};
            case SUM -> one(unreduce(g, x.shape(), a));
            case PROD -> one(unreduce(g.mul(out), x.shape(), a).div(x));
            case MAX, MIN -> one(reduceExtremum(x, out, g, a));
            case CUMSUM -> one(g.flip(a.i("axis")).cumsum(a.i("axis")).flip(a.i("axis")).cast(x.dtype()));
            case RESHAPE -> one(g.reshape(x.shape().dims()));
            case PERMUTE -> one(g.permute(inverse(a.ints("perm"), x.rank())));
            case EXPAND -> one(sumTo(g, x.shape()));
            case SLICE -> one(unslice(g, x.shape(), a));
            case PAD -> one(unpad(g, x.shape(), a));
            case FLIP -> one(g.flip(a.ints("axes")));
            case CONCAT -> unconcat(g, in, a.i("axis"));
            case GATHER -> new Tensor[] {Tensor.zerosLike(x).scatterAdd(a.i("axis"), in[1], g), null};
            case SCATTER_ADD -> new Tensor[] {g, null, g.gather(a.i("axis"), in[1])};
            case MATMUL -> matmul(a, x, in[1], g, needed);
            case CONV2D -> conv2d(a, in, g, needed);
            case CONV_TRANSPOSE2D -> convTranspose2d(a, x, in[1], g, needed);
            case MAX_POOL2D -> one(Dispatch.apply(Op.MAX_POOL2D_GRAD, a, g, x));
            case CONV2D_WEIGHT_GRAD, MAX_POOL2D_GRAD -> throw new UnsupportedOperationException(
                    "op '" + op.opName() + "' (a backward kernel) has no gradient: second-order gradients through "
                            + "convolution weights and max pooling are not supported");
            case FFT -> one(fftVjp(a, g));
            case RFFT -> one(rfftVjp(a, x, g));
            case IRFFT -> one(irfftVjp(a, x, g));
            case IF, LOOP, FUSED -> throw new IllegalArgumentException("op '" + op.opName()
                    + "' is a graph control op: graph autodiff differentiates its subgraphs");
            case CUSTOM -> CustomOps.vjp(a, in, out, g);
        };
    }

    private static Tensor[] one(Tensor g) {
        return new Tensor[] {g};
    }

    private static Tensor[] two(Tensor a, Tensor b) {
        return new Tensor[] {a, b};
    }

    /** Sums a broadcast gradient back to the shape of the input it came from. */
    public static Tensor sumTo(Tensor g, Shape target) {
        if (g.shape().equals(target)) {
            return g;
        }
        int lead = g.rank() - target.rank();
        int[] axes = new int[g.rank()];
        int n = 0;
        for (int i = 0; i < g.rank(); i++) {
            if (i < lead || target.dim(i - lead) == 1 && g.dim(i) != 1) {
                axes[n++] = i;
            }
        }
        Tensor r = n == 0 ? g : g.sum(Arrays.copyOf(axes, n), true);
        return r.reshape(target.dims());
    }

    /** Broadcasts a reduction's gradient back over the reduced axes. */
    private static Tensor unreduce(Tensor g, Shape inShape, Attrs a) {
        boolean[] mask = ShapeRules.reducedMask(Op.SUM, inShape, a.ints("axes"));
        long[] kept = inShape.dims();
        for (int i = 0; i < kept.length; i++) {
            if (mask[i]) {
                kept[i] = 1;
            }
        }
        return g.reshape(kept).expand(inShape.dims());
    }

    private static Tensor reduceExtremum(Tensor x, Tensor out, Tensor g, Attrs a) {
        Tensor hit = x.eq(unreduce(out, x.shape(), a)).cast(g.dtype());
        Tensor count = hit.sum(a.ints("axes"), true);
        return hit.mul(unreduce(g, x.shape(), a)).div(count);
    }

    private static Tensor[] pow(Tensor x, Tensor y, Tensor out, Tensor g) {
        Tensor gx = g.mul(y).mul(x.pow(y.sub(1.0)));
        // d/dy x^y = x^y log x, taken as 0 where x == 0 (the limit used by PyTorch)
        Tensor safeLog = Tensor.where(x.eq(0.0), Tensor.onesLike(x), x).log();
        Tensor gy = g.mul(out).mul(safeLog);
        return two(sumTo(gx, x.shape()), sumTo(gy, y.shape()));
    }

    /** Ties split the gradient evenly, as PyTorch does. */
    private static Tensor[] extremum(Op op, Tensor x, Tensor y, Tensor g) {
        Tensor wins = (op == Op.MAXIMUM ? x.gt(y) : x.lt(y)).cast(g.dtype());
        Tensor ties = x.eq(y).cast(g.dtype()).mul(0.5);
        Tensor wx = wins.add(ties);
        Tensor wy = wx.rsub(1.0);
        return two(sumTo(g.mul(wx), x.shape()), sumTo(g.mul(wy), y.shape()));
    }

    private static int[] inverse(int[] perm, int rank) {
        int[] inv = new int[rank];
        for (int i = 0; i < rank; i++) {
            inv[perm[i] < 0 ? perm[i] + rank : perm[i]] = i;
        }
        return inv;
    }

    /** Places a slice's gradient back at its positions: strides become padding between elements. */
    private static Tensor unslice(Tensor g, Shape inShape, Attrs a) {
        long[] starts = a.longs("starts");
        long[] steps = a.longs("steps");
        Tensor r = g;
        long[] before = new long[inShape.rank()];
        long[] after = new long[inShape.rank()];
        for (int ax = 0; ax < inShape.rank(); ax++) {
            long m = g.dim(ax);
            if (steps[ax] > 1 && m > 0) {
                // interleave step-1 zeros after every element: [.., m, ..] -> [.., m, step, ..] -> [.., m*step, ..]
                r = r.unsqueeze(ax + 1).pad(padAt(r.rank() + 1, ax + 1, 0, steps[ax] - 1));
                long[] merged = r.shape().dims();
                long[] d = new long[merged.length - 1];
                for (int i = 0, j = 0; i < merged.length; i++) {
                    if (i == ax + 1) {
                        d[ax] *= merged[i];
                    } else {
                        d[j++] = merged[i];
                    }
                }
                r = r.reshape(d);
                r = r.narrow(ax, 0, (m - 1) * steps[ax] + 1);
            }
            before[ax] = starts[ax];
            after[ax] = inShape.dim(ax) - starts[ax] - r.dim(ax);
        }
        return Dispatch.apply(Op.PAD, Attrs.of("before", before, "after", after, "value", 0.0), r);
    }

    /** PyTorch-order padding that pads only {@code axis} of a tensor of {@code rank}. */
    private static long[] padAt(int rank, int axis, long before, long after) {
        long[] p = new long[2 * (rank - axis)];
        p[p.length - 2] = before;
        p[p.length - 1] = after;
        return p;
    }

    private static Tensor unpad(Tensor g, Shape inShape, Attrs a) {
        long[] before = a.longs("before");
        long[] stops = new long[inShape.rank()];
        long[] steps = new long[inShape.rank()];
        for (int i = 0; i < stops.length; i++) {
            stops[i] = before[i] + inShape.dim(i);
            steps[i] = 1;
        }
        return Dispatch.apply(Op.SLICE, Attrs.of("starts", before, "stops", stops, "steps", steps), g);
    }

    private static Tensor[] unconcat(Tensor g, Tensor[] in, int axis) {
        Tensor[] r = new Tensor[in.length];
        long offset = 0;
        for (int i = 0; i < in.length; i++) {
            long n = in[i].shape().dim(axis);
            r[i] = g.narrow(axis, offset, n);
            offset += n;
        }
        return r;
    }

    /** For C = op(A)·op(B): each gradient is one more product with flags, never a transposed copy. */
    private static boolean wants(boolean[] needed, int input) {
        return needed == null || needed[input];
    }

    private static Tensor[] matmul(Attrs a, Tensor x, Tensor y, Tensor g, boolean[] needed) {
        boolean ta = a.b("transA");
        boolean tb = a.b("transB");
        Tensor gx = !wants(needed, 0) ? null : ta ? y.matmul(g, tb, true) : g.matmul(y, false, !tb);
        Tensor gy = !wants(needed, 1) ? null : tb ? g.matmul(x, true, ta) : x.matmul(g, !ta, false);
        return two(gx == null ? null : sumTo(gx, x.shape()), gy == null ? null : sumTo(gy, y.shape()));
    }

    private static Tensor[] conv2d(Attrs a, Tensor[] in, Tensor g, boolean[] needed) {
        Tensor x = in[0];
        Tensor w = in[1];
        int[] stride = a.ints("stride");
        int[] pad = a.ints("padding");
        int[] dil = a.ints("dilation");
        int[] outPad = new int[2];
        for (int i = 0; i < 2; i++) {
            long full = (g.dim(2 + i) - 1) * stride[i] - 2L * pad[i] + (long) dil[i] * (w.dim(2 + i) - 1) + 1;
            outPad[i] = (int) (x.dim(2 + i) - full);
        }
        Tensor gx = !wants(needed, 0) ? null : Dispatch.apply(Op.CONV_TRANSPOSE2D, Attrs.of("stride", stride, "padding",
                pad, "dilation", dil, "groups", a.i("groups"), "outputPadding", outPad), g, w);
        Tensor gw = !wants(needed, 1) ? null : Dispatch.apply(Op.CONV2D_WEIGHT_GRAD, Attrs.of("stride", stride,
                "padding", pad, "dilation", dil, "groups", a.i("groups"), "weightShape", w.shape().dims()), x, g);
        return in.length == 3 ? new Tensor[] {gx, gw, g.sum(new int[] {0, 2, 3}, false)} : two(gx, gw);
    }

    private static Tensor[] convTranspose2d(Attrs a, Tensor x, Tensor w, Tensor g, boolean[] needed) {
        Attrs conv = Attrs.of("stride", a.ints("stride"), "padding", a.ints("padding"), "dilation", a.ints("dilation"),
                "groups", a.i("groups"));
        // with outputPadding ≥ stride (allowed when dilation > stride) the convolution of g sees extra rows or
        // columns that no input produced: drop them from gx, and give x matching zero rows for the weight grad
        Tensor gx = null;
        if (wants(needed, 0)) {
            gx = Dispatch.apply(Op.CONV2D, conv, g, w);
            if (gx.dim(2) > x.dim(2) || gx.dim(3) > x.dim(3)) {
                gx = gx.narrow(2, 0, x.dim(2)).narrow(3, 0, x.dim(3));
            }
        }
        Tensor gw = null;
        if (wants(needed, 1)) {
            // what CONV2D of g makes beyond x (gx's extra rows and columns above)
            long extraRows = convOut(g.dim(2), w.dim(2), a, 0) - x.dim(2);
            long extraCols = convOut(g.dim(3), w.dim(3), a, 1) - x.dim(3);
            Tensor xFull = extraRows > 0 || extraCols > 0 ? x.pad(0, Math.max(0, extraCols), 0, Math.max(0, extraRows)) : x;
            gw = Dispatch.apply(Op.CONV2D_WEIGHT_GRAD, Attrs.of("stride", a.ints("stride"), "padding",
                    a.ints("padding"), "dilation", a.ints("dilation"), "groups", a.i("groups"), "weightShape",
                    w.shape().dims()), g, xFull);
        }
        return two(gx, gw);
    }

    private static long convOut(long in, long kernel, Attrs a, int axis) {
        return ConvShapes.windowOut(in, kernel, a.ints("stride")[axis], a.ints("padding")[axis], a.ints("dilation")[axis]);
    }

    /** The DFT is linear: its adjoint is n·IDFT, and the adjoint of the scaled inverse is DFT/n. */
    private static Tensor fftVjp(Attrs a, Tensor g) {
        int axis = a.i("axis");
        long n = g.dim(ShapeRules.complexAxis(Op.FFT, g.shape(), axis));
        return a.b("inverse") ? g.fft(axis).div((double) n) : g.ifft(axis).mul((double) n);
    }

    /** Adjoint of the real DFT: zero-extend the spectrum to n bins, apply n·IDFT, keep the real part. */
    private static Tensor rfftVjp(Attrs a, Tensor x, Tensor g) {
        int axis = x.shape().axis(a.i("axis"));
        long n = x.dim(axis);
        long m = g.dim(axis);
        Tensor full = g.pad(padAt(g.rank(), axis, 0, n - m));
        return full.ifft(axis).mul((double) n).real().cast(x.dtype());
    }

    /** Adjoint of the inverse real DFT: rfft(g) weighted by 1/n for DC and Nyquist, 2/n for the other bins. */
    private static Tensor irfftVjp(Attrs a, Tensor x, Tensor g) {
        int axis = ShapeRules.complexAxis(Op.IRFFT, x.shape(), a.i("axis"));
        long n = a.l("n");
        long m = x.dim(axis);
        double[] w = new double[(int) m];
        for (int k = 0; k < m; k++) {
            w[k] = (k == 0 || n % 2 == 0 && k == m - 1 ? 1.0 : 2.0) / n;
        }
        long[] view = new long[x.rank()];
        Arrays.fill(view, 1);
        view[axis] = m;
        Tensor weight = Tensor.of(w, view).cast(x.dtype()).to(x.device());
        return g.rfft(axis).mul(weight).cast(x.dtype());
    }

}
