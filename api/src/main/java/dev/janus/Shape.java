package dev.janus;

import java.util.Arrays;

/**
 * An immutable tensor shape. Dimensions are non-negative; {@code Shape.of()} is the scalar shape.
 *
 * <pre>{@code Shape s = Shape.of(2, 3); s.numel() == 6; s.dim(-1) == 3;}</pre>
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new long[0]);
    private final long[] dims;
    private final long numel;

    private Shape(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        this.dims = dims;
        this.numel = n;
    }

    public static Shape of(long... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public static Shape of(int... dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return new Shape(l);
    }

    public static Shape scalar() {
        return SCALAR;
    }

    /** A copy of the dimensions. */
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code axis}; negative axes count from the end. */
    public long dim(int axis) {
        return dims[axis(axis)];
    }

    public long numel() {
        return numel;
    }

    /** Normalizes a possibly negative axis, or throws naming the axis and this shape. */
    public int axis(int axis) {
        return normalizeAxis(axis, dims.length);
    }

    /** Normalizes {@code axis} against {@code rank}, or throws naming both. */
    public static int normalizeAxis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("dimension " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Row-major element strides. */
    public long[] strides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Product of the dimensions in {@code [from, to)}. */
    public long numel(int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= dims[i];
        }
        return n;
    }

    /** This shape with dimension {@code axis} replaced by {@code size}. */
    public Shape with(int axis, long size) {
        long[] d = dims.clone();
        d[axis(axis)] = size;
        return new Shape(d);
    }

    /**
     * The numpy broadcast of two shapes, or an {@link IllegalArgumentException} naming both shapes and the
     * dimension that differs.
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int r = Math.max(a.rank(), b.rank());
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            long db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast: dimension "
                        + (i - r) + " is " + da + " vs " + db + " (sizes must match or be 1)");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Text form {@code [2, 3]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
