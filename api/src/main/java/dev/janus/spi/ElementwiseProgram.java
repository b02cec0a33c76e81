package dev.janus.spi;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A chain of elementwise ops over broadcast inputs, to be compiled into one kernel by
 * {@link Backend#compileElementwise} — what a graph's fusion pass hands to a backend.
 *
 * <p>Values are numbered: {@code 0 .. n-1} are the inputs (n = {@code inputShapes.size()}), {@code n + k} is
 * the result of step {@code k}. Each step names its arguments by these numbers and may use any input or any
 * earlier step; the last step's result is the program's output. Every step computes in {@link #dtype} and
 * has the shape {@link #outShape}; inputs broadcast to it with numpy rules. Step 0 may instead be a
 * {@link Op#MATMUL} of two rank-2 inputs (attributes {@code transA}, {@code transB}) whose product has the
 * output shape: the "GEMM epilogue" pattern {@code relu(x @ wᵀ + b)}.
 *
 * <pre>{@code
 * // relu(x @ wᵀ + b) with x: [64, 784], w: [512, 784], b: [512]
 * var p = new ElementwiseProgram(DType.FLOAT32, Shape.of(64, 512),
 *         List.of(Shape.of(64, 784), Shape.of(512, 784), Shape.of(512)),
 *         List.of(Step.of(Op.MATMUL, Attrs.of("transA", false, "transB", true), 0, 1),  // value 3
 *                 Step.of(Op.ADD, 3, 2),                                                // value 4
 *                 Step.of(Op.RELU, 4)));                                                // value 5: output
 * }</pre>
 *
 * <p>The constructor checks that a program is well formed (arities, references, shapes) and names the
 * offending step. Whether a backend can fuse it is the backend's call: {@link #isFloatArithmetic()} programs
 * (float32/float64, steps in {@link #ARITHMETIC_OPS}) are the set every fusing backend is expected to handle;
 * other unary and binary ops (comparisons, logic, casts) and integer dtypes are well formed here, but a
 * backend may answer null for them.
 */
public record ElementwiseProgram(DType dtype, Shape outShape, List<Shape> inputShapes, List<Step> steps) {

    /** The float unary and binary ops of {@link #isFloatArithmetic()} programs. */
    public static final Set<Op> ARITHMETIC_OPS = Collections.unmodifiableSet(EnumSet.of(
            Op.NEG, Op.ABS, Op.EXP, Op.LOG, Op.LOG1P, Op.EXPM1, Op.SQRT, Op.RSQRT, Op.SIN, Op.COS, Op.TAN,
            Op.TANH, Op.SIGMOID, Op.RELU, Op.ERF, Op.FLOOR, Op.CEIL, Op.ROUND, Op.SIGN,
            Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.MAXIMUM, Op.MINIMUM));

    /**
     * One op application: {@code args} are value numbers (inputs first, then earlier steps). Arrays compare
     * by content, so equal programs are equal records.
     */
    public record Step(Op op, Attrs attrs, int[] args) {
        public Step {
            Objects.requireNonNull(op, "op");
            attrs = attrs == null ? Attrs.NONE : attrs;
            args = args.clone();
        }

        /** A step without attributes. */
        public static Step of(Op op, int... args) {
            return new Step(op, Attrs.NONE, args);
        }

        /** A step with attributes. */
        public static Step of(Op op, Attrs attrs, int... args) {
            return new Step(op, attrs, args);
        }

        @Override
        public int[] args() {
            return args.clone();
        }

        /** Argument {@code i}'s value number, without copying the array. */
        public int arg(int i) {
            return args[i];
        }

        /** Number of arguments. */
        public int arity() {
            return args.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Step s && op == s.op && attrs.equals(s.attrs) && Arrays.equals(args, s.args);
        }

        @Override
        public int hashCode() {
            return Objects.hash(op, attrs, Arrays.hashCode(args));
        }

        @Override
        public String toString() {
            return op.opName() + " " + Arrays.toString(args) + (attrs.asMap().isEmpty() ? "" : " " + attrs);
        }
    }

    public ElementwiseProgram {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(outShape, "outShape");
        inputShapes = List.copyOf(inputShapes);
        steps = List.copyOf(steps);
        if (inputShapes.isEmpty() || steps.isEmpty()) {
            throw new IllegalArgumentException("an elementwise program needs at least one input and one step, got "
                    + inputShapes.size() + " inputs and " + steps.size() + " steps");
        }
        for (int k = 0; k < steps.size(); k++) {
            ProgramChecks.checkStep(k, steps.get(k), inputShapes, outShape);
        }
        ProgramChecks.checkInputsBroadcast(inputShapes, steps, outShape);
    }

    /** Number of inputs. */
    public int numInputs() {
        return inputShapes.size();
    }

    /** True when step 0 is a matrix product whose result the other steps transform. */
    public boolean startsWithMatmul() {
        return steps.get(0).op() == Op.MATMUL;
    }

    /** True for float32/float64 programs whose steps are all in {@link #ARITHMETIC_OPS} (after an optional matmul). */
    public boolean isFloatArithmetic() {
        if (!dtype.isFloating()) {
            return false;
        }
        for (int k = startsWithMatmul() ? 1 : 0; k < steps.size(); k++) {
            if (!ARITHMETIC_OPS.contains(steps.get(k).op())) {
                return false;
            }
        }
        return true;
    }
}
