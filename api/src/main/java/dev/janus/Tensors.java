package dev.janus;

import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import dev.janus.spi.Engines;
import java.util.Arrays;

/** Creation helpers and the longer composites behind {@link Tensor}'s methods. */
final class Tensors {
    private Tensors() {}

    static Tensor of(Object data, DType dtype, int length, long[] shape) {
        return of(data, dtype, length, shape.length == 0 ? Shape.of((long) length) : Shape.of(shape));
    }

    static Tensor of(Object data, DType dtype, int length, Shape s) {
        if (s.numel() != length) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape " + s + " ("
                    + s.numel() + " elements)");
        }
        return Engines.factory().fromHost(data, dtype, s, Engines.factory().defaultDevice());
    }

    private static Tensor host(Object data, DType dtype, Shape s) {
        return Engines.factory().fromHost(data, dtype, s, Engines.factory().defaultDevice());
    }

    static int checkedSize(Shape s) {
        if (s.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + s + " has " + s.numel()
                    + " elements; at most 2^31 - 9 fit in one buffer");
        }
        return (int) s.numel();
    }

    /** A Java array of {@code dtype} and length {@code n} whose element i is {@code f(i)}. */
    static Object fill(DType dtype, int n, java.util.function.IntToDoubleFunction f) {
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) f.applyAsDouble(i);
                }
                return a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = f.applyAsDouble(i);
                }
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) f.applyAsDouble(i);
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (long) f.applyAsDouble(i);
                }
                return a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = f.applyAsDouble(i) != 0;
                }
                return a;
            }
            default -> throw new AssertionError(dtype);
        }
    }

    static Tensor full(double value, DType dtype, Shape s) {
        int n = checkedSize(s);
        Object a = switch (dtype) {
            case FLOAT32 -> { float[] x = new float[n]; Arrays.fill(x, (float) value); yield x; }
            case FLOAT64 -> { double[] x = new double[n]; Arrays.fill(x, value); yield x; }
            case INT32 -> { int[] x = new int[n]; Arrays.fill(x, (int) value); yield x; }
            case INT64 -> { long[] x = new long[n]; Arrays.fill(x, (long) value); yield x; }
            case BOOL -> { boolean[] x = new boolean[n]; Arrays.fill(x, value != 0); yield x; }
        };
        return host(a, dtype, s);
    }

    static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(start) || Double.isNaN(end) || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + "): step must be nonzero and bounds finite");
        }
        long n = Math.max(0, (long) Math.ceil((end - start) / step));
        Shape s = Shape.of(n);
        return host(fill(dtype, checkedSize(s), i -> start + i * step), dtype, s);
    }

    static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace needs steps ≥ 0, got " + steps);
        }
        double delta = steps > 1 ? (end - start) / (steps - 1) : 0;
        return host(fill(dtype, steps, i -> steps > 1 && i == steps - 1 ? end : start + i * delta), dtype, Shape.of(steps));
    }

    static Tensor eye(long n, long m, DType dtype) {
        Shape s = Shape.of(n, m);
        return host(fill(dtype, checkedSize(s), i -> i / m == i % m ? 1 : 0), dtype, s);
    }

    static Tensor rand(Generator g, DType dtype, Shape s) {
        requireFloating("rand", dtype);
        return host(fill(dtype, checkedSize(s), i -> g.nextDouble()), dtype, s);
    }

    static Tensor randn(Generator g, DType dtype, Shape s) {
        requireFloating("randn", dtype);
        return host(fill(dtype, checkedSize(s), i -> g.nextGaussian()), dtype, s);
    }

    static Tensor randint(Generator g, long low, long high, Shape s) {
        int n = checkedSize(s);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = g.nextLong(low, high);
        }
        return host(a, DType.INT64, s);
    }

    private static void requireFloating(String what, DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException(what + " produces floating values; got dtype " + dtype.shortName());
        }
    }

    /** Converts a host array between dtypes (float to int truncates, nonzero to bool is true). */
    static Object convertArray(Object src, DType from, DType to) {
        if (from == to) {
            return src;
        }
        return switch (from) {
            case FLOAT32 -> { float[] a = (float[]) src; yield fill(to, a.length, i -> a[i]); }
            case FLOAT64 -> { double[] a = (double[]) src; yield fill(to, a.length, i -> a[i]); }
            case INT32 -> { int[] a = (int[]) src; yield fill(to, a.length, i -> a[i]); }
            case INT64 -> {
                long[] a = (long[]) src;
                if (to == DType.INT32) {
                    int[] r = new int[a.length];
                    for (int i = 0; i < a.length; i++) {
                        r[i] = (int) a[i];
                    }
                    yield r;
                }
                yield fill(to, a.length, i -> a[i]);
            }
            case BOOL -> { boolean[] a = (boolean[]) src; yield fill(to, a.length, i -> a[i] ? 1 : 0); }
        };
    }

    /** Resolves a reshape target with at most one -1, naming both shapes when it cannot fit. */
    static long[] resolveReshape(Shape from, long[] target) {
        long[] s = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + from + " to " + Arrays.toString(target) + ": only one dimension may be -1");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape " + from + " to " + Arrays.toString(target) + ": negative dimension " + s[i]);
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || from.numel() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + from + " (" + from.numel() + " elements) to "
                        + Arrays.toString(target));
            }
            s[infer] = from.numel() / known;
        } else if (known != from.numel()) {
            throw new IllegalArgumentException("cannot reshape " + from + " (" + from.numel() + " elements) to "
                    + Arrays.toString(target) + " (" + known + " elements)");
        }
        return s;
    }

    static Tensor pad(Tensor x, long[] padding, String mode, double value) {
        if (padding.length % 2 != 0 || padding.length / 2 > x.rank()) {
            throw new IllegalArgumentException("pad needs (before, after) pairs for at most " + x.rank()
                    + " dimensions, got " + Arrays.toString(padding));
        }
        long[] before = new long[x.rank()];
        long[] after = new long[x.rank()];
        for (int p = 0; p < padding.length / 2; p++) {
            before[x.rank() - 1 - p] = padding[2 * p];
            after[x.rank() - 1 - p] = padding[2 * p + 1];
        }
        return switch (mode) {
            case "constant" -> Arrays.stream(before).allMatch(v -> v == 0) && Arrays.stream(after).allMatch(v -> v == 0) ? x
                    : Dispatch.apply(Op.PAD, Attrs.of("before", before, "after", after, "value", value), x);
            case "reflect" -> reflectPad(x, before, after);
            default -> throw new IllegalArgumentException("pad mode must be 'constant' or 'reflect', got '" + mode + "'");
        };
    }

    /** Reflect padding as slices, flips and a concatenation per axis, so it needs no kernel of its own. */
    private static Tensor reflectPad(Tensor x, long[] before, long[] after) {
        Tensor r = x;
        for (int a = 0; a < x.rank(); a++) {
            long n = r.dim(a);
            if (before[a] == 0 && after[a] == 0) {
                continue;
            }
            if (before[a] >= n || after[a] >= n) {
                throw new IllegalArgumentException("reflect padding (" + before[a] + ", " + after[a] + ") on axis " + a
                        + " must be smaller than its size " + n + " (shape " + x.shape() + ")");
            }
            Tensor left = r.narrow(a, 1, before[a]).flip(a);
            Tensor right = r.narrow(a, n - 1 - after[a], after[a]).flip(a);
            r = Tensor.cat(a, left, r, right);
        }
        return r;
    }

    /** A bool mask over the last two dimensions: {@code j - i <= k} (lower) or {@code j - i >= k} (upper). */
    static Tensor triangleMask(Tensor x, long k, boolean lower) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException((lower ? "tril" : "triu") + " needs rank ≥ 2, got " + x.shape());
        }
        long n = x.dim(-2);
        long m = x.dim(-1);
        Shape s = Shape.of(n, m);
        Object mask = fill(DType.BOOL, checkedSize(s), i -> {
            long d = (i % m) - (i / m);
            return (lower ? d <= k : d >= k) ? 1 : 0;
        });
        return host(mask, DType.BOOL, s).to(x.device());
    }

    static Tensor repeat(Tensor x, long[] repeats) {
        if (repeats.length < x.rank()) {
            throw new IllegalArgumentException("repeat needs at least " + x.rank() + " counts, got " + Arrays.toString(repeats));
        }
        long[] padded = new long[repeats.length];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape().dims(), 0, padded, repeats.length - x.rank(), x.rank());
        Tensor r = x.reshape(padded);
        // interleave a size-1 axis before each dimension, expand it to the count, then merge the pairs
        long[] inter = new long[2 * padded.length];
        long[] expanded = new long[2 * padded.length];
        long[] merged = new long[padded.length];
        for (int i = 0; i < padded.length; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = padded[i];
            merged[i] = repeats[i] * padded[i];
        }
        return r.reshape(inter).expand(expanded).reshape(merged);
    }

    static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        if (index.rank() != 1) {
            throw new IllegalArgumentException("indexSelect needs a 1-D index, got " + index.shape());
        }
        int a = x.shape().axis(axis);
        long[] view = new long[x.rank()];
        Arrays.fill(view, 1);
        view[a] = index.dim(0);
        long[] out = x.shape().dims();
        out[a] = index.dim(0);
        try {
            return x.gather(a, index.cast(DType.INT64).reshape(view).expand(out));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("indexSelect(" + axis + ") on " + x.shape() + ": " + e.getMessage(), e);
        }
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul needs tensors of rank ≥ 1, got " + a.shape() + " and " + b.shape());
        }
        long inner = b.rank() == 1 ? b.dim(0) : b.dim(-2);
        if (a.dim(-1) != inner) {
            throw new IllegalArgumentException("op 'matmul': inner dimensions differ: " + a.dtype().shortName() + a.shape()
                    + " @ " + b.dtype().shortName() + b.shape() + " (" + a.dim(-1) + " vs " + inner + ")");
        }
        DType t = DType.promote(a.dtype(), b.dtype()).toFloating();
        Tensor x = a.cast(t);
        Tensor y = b.cast(t);
        boolean vecA = x.rank() == 1;
        boolean vecB = y.rank() == 1;
        if (vecA) {
            x = x.unsqueeze(0);
        }
        if (vecB) {
            y = y.unsqueeze(1);
        }
        Tensor r = x.matmul(y, false, false);
        if (vecA) {
            r = r.squeeze(-2);
        }
        if (vecB) {
            r = r.squeeze(-1);
        }
        return r;
    }
}
