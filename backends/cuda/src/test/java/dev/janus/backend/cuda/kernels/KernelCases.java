package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The kernels the codegen tests compile and run: every elementwise op for every dtype it takes, casts between
 * all dtypes, {@code where}, and fused programs with broadcasting. Inputs mix random values with the edge
 * values where C and Java differ (NaN, infinities, signed zeros, halves for rounding, extremes).
 */
final class KernelCases {
    /** One test: a name, the op or program, and inputs. {@code program} is null for a plain op. */
    record Named(String name, Op op, Attrs attrs, TensorSpec[] specs, TensorSpec out, ElementwiseProgram program,
            Object[] inputs) {
        private HostKernelRunner.Case epilogueCase() {
            return epilogueCaseOf(program, inputs);
        }

        /** The generated kernel and its arguments, for the host runner and the nvcc check. */
        HostKernelRunner.Case hostCase() {
            if (program != null && program.startsWithMatmul()) {
                return epilogueCase();
            }
            if (program != null) {
                return HostKernelRunner.Case.elementwise(KernelSpec.fromProgram(program), inputs);
            }
            if (op.kind() == Op.Kind.REDUCE) {
                return HostKernelRunner.Case.reduce(ReduceSpec.of(op, attrs, specs[0], out), inputs[0]);
            }
            return HostKernelRunner.Case.elementwise(KernelSpec.forOp(op, attrs, specs, out), inputs);
        }
    }

    /** A GEMM epilogue's kernel reads the kept inputs and the product, computed here by the CPU backend's matmul. */
    private static HostKernelRunner.Case epilogueCaseOf(ElementwiseProgram program, Object[] inputs) {
        Epilogue e = Epilogue.of(program);
        ElementwiseProgram.Step mm = program.steps().get(0);
        var cpu = new dev.janus.backend.cpu.CpuBackend();
        TensorSpec a = new TensorSpec(program.dtype(), program.inputShapes().get(mm.arg(0)));
        TensorSpec b = new TensorSpec(program.dtype(), program.inputShapes().get(mm.arg(1)));
        Object product = cpu.toHost(cpu.execute(Op.MATMUL, mm.attrs(), new dev.janus.spi.Buffer[] {
                cpu.fromHost(inputs[mm.arg(0)], a.dtype(), dev.janus.Device.CPU),
                cpu.fromHost(inputs[mm.arg(1)], b.dtype(), dev.janus.Device.CPU)},
                new TensorSpec[] {a, b}, new TensorSpec(program.dtype(), program.outShape())));
        int[] kept = e.inputs();
        Object[] kernelInputs = new Object[kept.length + 1];
        for (int i = 0; i < kept.length; i++) {
            kernelInputs[i] = inputs[kept[i]];
        }
        kernelInputs[kept.length] = product;
        return HostKernelRunner.Case.elementwise(e.spec(), kernelInputs);
    }

    /** Steps that round like the CPU's: a chain of them may take any input. */
    private static final java.util.Set<Op> EXACT_STEPS = java.util.EnumSet.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.RELU,
            Op.NEG, Op.ABS, Op.MAXIMUM, Op.MINIMUM, Op.MATMUL);

    static final List<Op> FLOAT_UNARY = List.of(Op.NEG, Op.ABS, Op.SIGN, Op.EXP, Op.LOG, Op.LOG1P, Op.EXPM1, Op.SQRT,
            Op.RSQRT, Op.SIN, Op.COS, Op.TAN, Op.TANH, Op.SIGMOID, Op.RELU, Op.ERF, Op.FLOOR, Op.CEIL, Op.ROUND,
            Op.IS_NAN, Op.IS_INF, Op.STOP_GRADIENT);
    static final List<Op> INT_UNARY = List.of(Op.NEG, Op.ABS, Op.SIGN, Op.RELU, Op.IS_NAN, Op.IS_INF, Op.STOP_GRADIENT);
    static final List<Op> COMPARISONS = List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE);
    static final List<Op> FLOAT_BINARY = List.of(Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.MAXIMUM, Op.MINIMUM);
    static final List<Op> INT_BINARY = List.of(Op.ADD, Op.SUB, Op.MUL, Op.MAXIMUM, Op.MINIMUM);
    static final List<DType> ALL = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL);

    private static final double[] EDGES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 3.5, 1e-40, -1e-40, 1e30, -1e30, 88.7, -88.7, 100, -100, 3e9, -3e9, 1e19, 2};

    private final Random random = new Random(42);
    private final List<Named> cases = new ArrayList<>();

    static List<Named> all() {
        KernelCases c = new KernelCases();
        c.unary();
        c.binary();
        c.casts();
        c.where();
        c.fused();
        c.reductions();
        return c.cases;
    }

    private void unary() {
        Shape s = Shape.of(61);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            FLOAT_UNARY.forEach(op -> plain(op, Attrs.NONE, List.of(t), List.of(s), op.kind() == Op.Kind.UNARY
                    && (op == Op.IS_NAN || op == Op.IS_INF) ? DType.BOOL : t, s));
        }
        for (DType t : List.of(DType.INT32, DType.INT64)) {
            INT_UNARY.forEach(op -> plain(op, Attrs.NONE, List.of(t), List.of(s),
                    op == Op.IS_NAN || op == Op.IS_INF ? DType.BOOL : t, s));
        }
        plain(Op.NOT, Attrs.NONE, List.of(DType.BOOL), List.of(s), DType.BOOL, s);
    }

    private void binary() {
        // a: [4, 1, 6], b: [3, 6] -> [4, 3, 6]: both inputs strided
        List<Shape> shapes = List.of(Shape.of(4, 1, 6), Shape.of(3, 6));
        Shape out = Shape.of(4, 3, 6);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            FLOAT_BINARY.forEach(op -> plain(op, Attrs.NONE, List.of(t, t), shapes, t, out));
            COMPARISONS.forEach(op -> plain(op, Attrs.NONE, List.of(t, t), shapes, DType.BOOL, out));
            plain(Op.ADD, Attrs.NONE, List.of(t, t), List.of(Shape.of(5, 7), Shape.of()), t, Shape.of(5, 7)); // scalar
        }
        for (DType t : List.of(DType.INT32, DType.INT64)) {
            INT_BINARY.forEach(op -> plain(op, Attrs.NONE, List.of(t, t), shapes, t, out));
            COMPARISONS.forEach(op -> plain(op, Attrs.NONE, List.of(t, t), shapes, DType.BOOL, out));
        }
        for (Op op : List.of(Op.AND, Op.OR, Op.XOR, Op.EQ, Op.NE)) {
            plain(op, Attrs.NONE, List.of(DType.BOOL, DType.BOOL), shapes, DType.BOOL, out);
        }
    }

    private void casts() {
        Shape s = Shape.of(61);
        for (DType from : ALL) {
            for (DType to : ALL) {
                plain(Op.CAST, Attrs.of("dtype", to), List.of(from), List.of(s), to, s);
            }
        }
    }

    private void where() {
        List<Shape> shapes = List.of(Shape.of(3, 1), Shape.of(1, 5), Shape.of(3, 5));
        for (DType t : List.of(DType.FLOAT32, DType.INT64, DType.BOOL)) {
            plain(Op.WHERE, Attrs.NONE, List.of(DType.BOOL, t, t), shapes, t, Shape.of(3, 5));
        }
    }

    private void fused() {
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            // relu(x * w + b): bias row broadcast
            program("relu(x*w+b)", t, Shape.of(8, 33), List.of(Shape.of(8, 33), Shape.of(8, 33), Shape.of(33)),
                    Step.of(Op.MUL, 0, 1), Step.of(Op.ADD, 3, 2), Step.of(Op.RELU, 4));
            // a sigmoid-gated product plus a tanh, with a column and a scalar input
            program("tanh(s+x*sigmoid(c*x))", t, Shape.of(6, 1, 9), List.of(Shape.of(6, 1, 9), Shape.of(6, 1, 1), Shape.of()),
                    Step.of(Op.MUL, 1, 0), Step.of(Op.SIGMOID, 3), Step.of(Op.MUL, 0, 4), Step.of(Op.ADD, 2, 5),
                    Step.of(Op.TANH, 6));
            // every float op in one chain, reusing earlier values
            program("long chain", t, Shape.of(5, 4, 3), List.of(Shape.of(5, 1, 3), Shape.of(4, 1), Shape.of(5, 4, 3)),
                    Step.of(Op.SUB, 0, 1), Step.of(Op.ABS, 3), Step.of(Op.LOG1P, 4), Step.of(Op.EXP, 5),
                    Step.of(Op.MAXIMUM, 6, 2), Step.of(Op.MINIMUM, 7, 0), Step.of(Op.POW, 4, 1), Step.of(Op.DIV, 8, 9),
                    Step.of(Op.SQRT, 4), Step.of(Op.RSQRT, 11), Step.of(Op.ERF, 12), Step.of(Op.ROUND, 2),
                    Step.of(Op.ADD, 0, 14), Step.of(Op.FLOOR, 15), Step.of(Op.MUL, 1, 14), Step.of(Op.CEIL, 17),
                    Step.of(Op.ADD, 16, 18), Step.of(Op.MUL, 19, 13), Step.of(Op.SIN, 20), Step.of(Op.COS, 21),
                    Step.of(Op.TAN, 20), Step.of(Op.SIGN, 23), Step.of(Op.EXPM1, 10), Step.of(Op.LOG, 4),
                    Step.of(Op.NEG, 26), Step.of(Op.ADD, 22, 24), Step.of(Op.ADD, 28, 25), Step.of(Op.ADD, 29, 27),
                    Step.of(Op.SIGMOID, 30), Step.of(Op.TANH, 31), Step.of(Op.RELU, 32));
            // GEMM epilogues: the product (the CPU's matmul here) read by one kernel with the bias and a scalar
            program("relu(x@wT+b)", t, Shape.of(6, 5), List.of(Shape.of(6, 7), Shape.of(5, 7), Shape.of(5)),
                    Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", true), 0, 1), Step.of(Op.ADD, 3, 2),
                    Step.of(Op.RELU, 4));
            program("tanh(xT@w*s)", t, Shape.of(3, 4), List.of(Shape.of(), Shape.of(5, 3), Shape.of(5, 4)),
                    Step.of(Op.MATMUL, Attrs.of("transA", true, "transB", false), 1, 2), Step.of(Op.MUL, 3, 0),
                    Step.of(Op.TANH, 4));
            // arithmetic only, no broadcasting: must match the CPU exactly
            program("(a-b)*(a+b)/c", t, Shape.of(100), List.of(Shape.of(100), Shape.of(100), Shape.of(100)),
                    Step.of(Op.SUB, 0, 1), Step.of(Op.ADD, 0, 1), Step.of(Op.MUL, 3, 4), Step.of(Op.DIV, 5, 2));
        }
    }

    private void reductions() {
        Shape s = Shape.of(4, 5, 6);
        int[][] axesSets = {{}, {0}, {1}, {2}, {0, 2}, {1, 2}, {-1}};
        for (int[] axes : axesSets) {
            for (boolean keep : new boolean[] {false, true}) {
                Attrs a = Attrs.of("axes", axes, "keepDim", keep);
                for (DType t : ALL) {
                    reduce(Op.SUM, a, t, s, true);
                }
                for (DType t : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
                    reduce(Op.PROD, a, t, s, true);
                }
                for (DType t : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.BOOL)) {
                    reduce(Op.MAX, a, t, s, false);
                    reduce(Op.MIN, a, t, s, false);
                }
            }
        }
        reduce(Op.SUM, Attrs.of("axes", new int[] {1}, "keepDim", false), DType.FLOAT32, s, false); // edges, one axis
        reduce(Op.SUM, Attrs.of("axes", new int[] {1}, "keepDim", true), DType.FLOAT32, Shape.of(3, 0, 2), false);
        for (int axis = -1; axis < 3; axis++) {
            for (DType t : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
                reduce(Op.ARGMAX, Attrs.of("axis", axis, "keepDim", axis == 0), t, s, false);
                reduce(Op.ARGMIN, Attrs.of("axis", axis, "keepDim", false), t, s, false);
            }
        }
    }

    /** {@code tame}: random values without NaN, infinities or extremes, for sums whose order differs from the CPU's. */
    private void reduce(Op op, Attrs attrs, DType t, Shape s, boolean tame) {
        TensorSpec in = new TensorSpec(t, s);
        TensorSpec out = dev.janus.ops.ShapeRules.infer(op, attrs, in);
        Object values = tame ? tameValues(t, s.numel()) : values(t, s.numel());
        cases.add(new Named(op.opName() + " " + in + " " + attrs + " -> " + out, op, attrs, new TensorSpec[] {in}, out,
                null, new Object[] {values}));
    }

    private Object tameValues(DType t, long n) {
        Object v = values(t, n);
        if (v instanceof float[] f) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (random.nextGaussian() + 0.5);
            }
        } else if (v instanceof double[] d) {
            for (int i = 0; i < d.length; i++) {
                d[i] = random.nextGaussian() + 0.5;
            }
        }
        return v;
    }

    private void plain(Op op, Attrs attrs, List<DType> types, List<Shape> shapes, DType outType, Shape out) {
        TensorSpec[] specs = new TensorSpec[types.size()];
        Object[] inputs = new Object[types.size()];
        StringBuilder name = new StringBuilder(op.opName());
        for (int i = 0; i < specs.length; i++) {
            specs[i] = new TensorSpec(types.get(i), shapes.get(i));
            inputs[i] = values(types.get(i), shapes.get(i).numel());
            name.append(i == 0 ? " " : ", ").append(specs[i]);
        }
        name.append(" -> ").append(new TensorSpec(outType, out));
        cases.add(new Named(name.toString(), op, attrs, specs, new TensorSpec(outType, out), null, inputs));
    }

    /**
     * A fused program's case. Chains of transcendental steps get {@link #tameValues}: a chain through pow, expm1 and
     * tan can amplify the CPU's and C's last-bit differences past any fixed tolerance (the edge values are covered
     * op by op, and by the arithmetic chains, whose every step rounds exactly as on the CPU).
     */
    private void program(String name, DType t, Shape out, List<Shape> shapes, Step... steps) {
        ElementwiseProgram p = new ElementwiseProgram(t, out, shapes, List.of(steps));
        boolean exactSteps = p.steps().stream().allMatch(s -> EXACT_STEPS.contains(s.op()));
        Object[] inputs = new Object[shapes.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = exactSteps ? values(t, shapes.get(i).numel()) : tameValues(t, shapes.get(i).numel());
        }
        cases.add(new Named("fused " + name + " " + t.shortName() + out, null, Attrs.NONE, null, null, p, inputs));
    }

    /** Edge values first (as many as fit), then random ones of varied magnitude. */
    private Object values(DType t, long count) {
        int n = Math.toIntExact(count);
        double[] v = new double[n];
        int offset = random.nextInt(EDGES.length); // different inputs meet different edges
        for (int i = 0; i < n; i++) {
            v[i] = i < EDGES.length ? EDGES[(i + offset) % EDGES.length] : random.nextGaussian() * Math.pow(10, random.nextInt(5) - 2);
        }
        return switch (t) {
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) { a[i] = (float) v[i]; } yield a; }
            case FLOAT64 -> v;
            case INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) { a[i] = i % 7 == 0 ? Integer.MIN_VALUE + i : i % 7 == 1 ? Integer.MAX_VALUE - i : random.nextInt(21) - 10; } yield a; }
            case INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) { a[i] = i % 7 == 0 ? Long.MIN_VALUE + i : i % 7 == 1 ? Long.MAX_VALUE - i : random.nextInt(21) - 10; } yield a; }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) { a[i] = random.nextBoolean(); } yield a; }
        };
    }
}
