package dev.janus.graph.differential;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One row of the eager-vs-graph table: a function of tensors written with the public {@link Tensor} /
 * {@code F} API, the primitive ops its captured graph must contain, its arguments (shape and value
 * distribution) and the dtypes it runs on.
 *
 * @param name   what the function computes, e.g. {@code gather_axis1}
 * @param ops    primitives the captured graph must contain (the op under test, or a composite's key ops)
 * @param fn     the function, applied to eager tensors and to symbolic ones alike
 * @param dtypes the row dtypes it runs on; an {@link Arg} without a fixed dtype takes the row dtype
 * @param args   the inputs
 */
record OpRow(String name, Set<Op> ops, Function<Tensor[], Tensor> fn, Set<DType> dtypes, List<Arg> args) {

    /** Draws one value of an argument; integer and bool arguments truncate / test it for nonzero. */
    @FunctionalInterface
    interface Dist {
        double sample(Generator g);

        /** Uniform on [-3, 3). */
        Dist ANY = g -> -3 + 6 * g.nextDouble();
        /** Uniform on [0.1, 4): a valid domain for log, sqrt, rsqrt, log1p and pow's base (integers: 0..3). */
        Dist POS = g -> 0.1 + 3.9 * g.nextDouble();
        /** ±[1, 3): away from 0, for divisors (integers: ±1, ±2). */
        Dist NONZERO = g -> (g.nextDouble() < 0.5 ? -1 : 1) * (1 + 2 * g.nextDouble());
        /** Integers in [-2, 2], so that comparisons, max/min and argmax meet ties (as bool: mostly true). */
        Dist SMALL_INT = g -> g.nextLong(-2, 3);
        /** Exact zeros among ordinary values (sign). */
        Dist WITH_ZEROS = g -> g.nextLong(0, 3) == 0 ? 0 : -3 + 6 * g.nextDouble();
        /** Multiples of 0.5 in [-4, 4] mixed with ordinary values (round half to even, floor, ceil). */
        Dist HALVES = g -> g.nextLong(0, 3) == 0 ? -3 + 6 * g.nextDouble() : g.nextLong(-8, 9) * 0.5;
        /** NaN, ±inf and ordinary values (isNan, isInf). */
        Dist SPECIALS = g -> switch ((int) g.nextLong(0, 5)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            default -> -3 + 6 * g.nextDouble();
        };
        /** Extreme-range values (±0, ±1e-30, ±1e30, ±inf, NaN) mixed with ordinary ones; for floating rows. */
        Dist EXTREME = g -> {
            double[] extremes = {0.0, -0.0, 1e-30, -1e-30, 1e30, -1e30, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN};
            int i = (int) g.nextLong(0, extremes.length + 3);
            return i < extremes.length ? extremes[i] : -3 + 6 * g.nextDouble();
        };
        /** 0 or 1 with equal odds: bool conditions and logical operands. */
        Dist COIN = g -> g.nextLong(0, 2);

        /** Valid indices {@code 0 .. bound-1} along a gathered / scattered axis. */
        static Dist index(long bound) {
            return g -> g.nextLong(0, bound);
        }
    }

    /**
     * One input: its shape, value distribution, and a fixed dtype (null: the row dtype).
     */
    record Arg(long[] shape, Dist dist, DType fixed) {
        DType dtype(DType rowType) {
            return fixed != null ? fixed : rowType;
        }

        TensorSpec spec(DType rowType) {
            return new TensorSpec(dtype(rowType), Shape.of(shape));
        }

        /** Draws the values in double and converts (float32 rounds, integers truncate, bool tests nonzero). */
        Tensor tensor(Generator g, DType rowType) {
            Shape s = Shape.of(shape);
            double[] v = new double[(int) s.numel()];
            for (int i = 0; i < v.length; i++) {
                v[i] = dist.sample(g);
            }
            DType t = dtype(rowType);
            Tensor x = Tensor.of(v, s);
            return t == DType.FLOAT64 ? x : x.cast(t);
        }

        @Override
        public String toString() {
            return (fixed == null ? "" : fixed.shortName()) + Arrays.toString(shape).replace(" ", "");
        }
    }

    OpRow {
        ops = ops.isEmpty() ? Set.of() : EnumSet.copyOf(ops);
        dtypes = EnumSet.copyOf(dtypes);
        args = List.copyOf(args);
    }

    TensorSpec[] specs(DType rowType) {
        return args.stream().map(a -> a.spec(rowType)).toArray(TensorSpec[]::new);
    }

    /** Fresh seeded inputs: the same row and dtype always get the same values. */
    Tensor[] inputs(DType rowType) {
        Generator g = new Generator(31L * name.hashCode() + 7L * args.toString().hashCode() + rowType.ordinal());
        return args.stream().map(a -> a.tensor(g, rowType)).toArray(Tensor[]::new);
    }

    /** The primary dtype (float32 when the row allows it): the one used for the coverage check. */
    DType primaryType() {
        return dtypes.contains(DType.FLOAT32) ? DType.FLOAT32 : dtypes.iterator().next();
    }

    @Override
    public String toString() {
        return name + args.stream().map(Arg::toString).collect(Collectors.joining(",", "(", ")"));
    }
}
