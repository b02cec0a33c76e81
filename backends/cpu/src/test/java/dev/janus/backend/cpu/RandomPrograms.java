package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Op;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random well-formed float programs: chains of 1–6 steps over 1–3 inputs broadcast every way (full, row,
 * column, scalar, lower rank, and middle axes that need materializing), with data that includes zeros of
 * both signs, infinities and NaN.
 */
final class RandomPrograms {
    private static final Op[] OPS = ElementwiseProgram.ARITHMETIC_OPS.toArray(new Op[0]);
    private static final long[] SMALL_DIMS = {1, 2, 3, 5, 7, 16, 31};
    /** Above {@link Parallel#SERIAL_THRESHOLD}: parallel over rows, over column blocks, and one long row. */
    private static final long[][] LARGE_SHAPES = {{129, 515}, {2, 40001}, {70001}, {3, 97, 131}};

    /** A program with its input buffers. */
    record Instance(ElementwiseProgram program, Buffer[] inputs) {}

    private RandomPrograms() {}

    static Instance next(Random rnd, CpuBackend backend, boolean large) {
        DType t = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        long[] out = large ? LARGE_SHAPES[rnd.nextInt(LARGE_SHAPES.length)] : smallShape(rnd);
        int n = 1 + rnd.nextInt(3);
        List<Shape> inputs = new ArrayList<>();
        inputs.add(Shape.of(out)); // one full input, so every step has a full-shaped argument to use
        for (int i = 1; i < n; i++) {
            inputs.add(Shape.of(broadcastSource(rnd, out)));
        }
        ElementwiseProgram p = new ElementwiseProgram(t, Shape.of(out), inputs, steps(rnd, inputs, out));
        Buffer[] buffers = new Buffer[n];
        for (int i = 0; i < n; i++) {
            buffers[i] = data(rnd, backend, t, inputs.get(i).numel());
        }
        return new Instance(p, buffers);
    }

    private static long[] smallShape(Random rnd) {
        long[] s = new long[rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(4)];
        for (int i = 0; i < s.length; i++) {
            s[i] = SMALL_DIMS[rnd.nextInt(SMALL_DIMS.length)];
        }
        return s;
    }

    /** A shape that broadcasts to {@code out}, in one of the patterns a fused loop meets. */
    private static long[] broadcastSource(Random rnd, long[] out) {
        int split = out.length < 2 ? rnd.nextInt(out.length + 1) : 1 + rnd.nextInt(out.length - 1); // mostly inside
        long[] s = out.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> { } // full
            case 1 -> s = Arrays.copyOfRange(out, split, out.length); // row, lower rank
            case 2 -> Arrays.fill(s, 0, split, 1); // row, same rank
            case 3 -> Arrays.fill(s, split, s.length, 1); // column
            case 4 -> s = rnd.nextBoolean() ? new long[0] : ones(out.length); // scalar
            default -> {
                for (int d = 0; d < s.length; d++) { // any axes broadcast: may need materializing
                    s[d] = rnd.nextBoolean() ? 1 : s[d];
                }
            }
        }
        return s;
    }

    private static long[] ones(int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        return s;
    }

    private static List<Step> steps(Random rnd, List<Shape> inputs, long[] out) {
        int n = inputs.size();
        List<Integer> full = new ArrayList<>(); // values with the output's shape
        for (int i = 0; i < n; i++) {
            if (Arrays.equals(inputs.get(i).dims(), out)) {
                full.add(i);
            }
        }
        List<Step> steps = new ArrayList<>();
        int count = 1 + rnd.nextInt(6);
        for (int k = 0; k < count; k++) {
            Op op = OPS[rnd.nextInt(OPS.length)];
            int a = full.get(rnd.nextInt(full.size()));
            if (op.kind() == Op.Kind.UNARY) {
                steps.add(Step.of(op, a));
            } else {
                int b = rnd.nextInt(n + k); // any input or earlier step
                steps.add(rnd.nextBoolean() ? Step.of(op, a, b) : Step.of(op, b, a));
            }
            full.add(n + k);
        }
        return steps;
    }

    /** Mostly moderate values, a few of them special. */
    static Buffer data(Random rnd, CpuBackend backend, DType t, long numel) {
        double[] d = new double[(int) numel];
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30, -0.5, 0.5};
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextInt(40) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextGaussian() * 2;
        }
        if (t == DType.FLOAT64) {
            return backend.fromHost(d, t, null);
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return backend.fromHost(f, t, null);
    }
}
