package dev.janus.spi;

import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.spi.ElementwiseProgram.Step;
import java.util.List;

/** The well-formedness rules of {@link ElementwiseProgram}; every message names the step and its op. */
final class ProgramChecks {
    private ProgramChecks() {}

    static void checkStep(int k, Step step, List<Shape> inputs, Shape out) {
        int expected = switch (step.op().kind()) {
            case UNARY -> 1;
            case BINARY -> 2;
            case LINALG -> {
                if (k != 0) {
                    throw error(k, step, "a matmul may only be step 0 (the GEMM epilogue pattern)");
                }
                yield 2;
            }
            default -> throw error(k, step, "not an elementwise op: steps are unary or binary ops, after an "
                    + "optional matmul as step 0");
        };
        if (step.arity() != expected) {
            throw error(k, step, "takes " + expected + " argument(s), got " + step.arity());
        }
        for (int i = 0; i < step.arity(); i++) {
            int v = step.arg(i);
            if (v < 0 || v >= inputs.size() + k) {
                throw error(k, step, "argument " + i + " is value " + v + ", but only inputs 0.." + (inputs.size() - 1)
                        + (k == 0 ? "" : " and earlier steps " + inputs.size() + ".." + (inputs.size() + k - 1))
                        + " can be used here");
            }
        }
        if (step.op() == Op.MATMUL) {
            checkMatmul(step, inputs, out);
        } else {
            checkElementwiseShape(k, step, inputs, out);
        }
    }

    private static void checkMatmul(Step step, List<Shape> inputs, Shape out) {
        Shape a = inputs.get(step.arg(0));
        Shape b = inputs.get(step.arg(1));
        if (a.rank() != 2 || b.rank() != 2) {
            throw error(0, step, "needs two rank-2 inputs, got " + a + " and " + b);
        }
        boolean ta = flag(step, "transA");
        boolean tb = flag(step, "transB");
        long k1 = a.dim(ta ? 0 : 1);
        long k2 = b.dim(tb ? 1 : 0);
        Shape product = Shape.of(a.dim(ta ? 1 : 0), b.dim(tb ? 0 : 1));
        if (k1 != k2) {
            throw error(0, step, "inner dimensions differ: " + a + (ta ? "ᵀ" : "") + " @ " + b + (tb ? "ᵀ" : ""));
        }
        if (!product.equals(out)) {
            throw error(0, step, "the product has shape " + product + ", not the output shape " + out);
        }
    }

    private static boolean flag(Step step, String name) {
        Attrs a = step.attrs();
        if (!(a.asMap().get(name) instanceof Boolean b)) {
            throw error(0, step, "needs boolean attribute '" + name + "', have " + a);
        }
        return b;
    }

    private static void checkElementwiseShape(int k, Step step, List<Shape> inputs, Shape out) {
        Shape result = shapeOf(step.arg(0), inputs, out);
        for (int i = 1; i < step.arity(); i++) {
            try {
                result = Shape.broadcast(result, shapeOf(step.arg(i), inputs, out));
            } catch (IllegalArgumentException e) {
                throw error(k, step, e.getMessage());
            }
        }
        if (!result.equals(out)) {
            throw error(k, step, "its result has shape " + result + ", not the output shape " + out
                    + " (every step must produce the output shape)");
        }
    }

    private static Shape shapeOf(int value, List<Shape> inputs, Shape out) {
        return value < inputs.size() ? inputs.get(value) : out;
    }

    /** Inputs that only feed the matmul may have any shape; every other input must broadcast to the output. */
    static void checkInputsBroadcast(List<Shape> inputs, List<Step> steps, Shape out) {
        boolean[] matmulOnly = new boolean[inputs.size()];
        if (steps.get(0).op() == Op.MATMUL) {
            matmulOnly[steps.get(0).arg(0)] = true;
            matmulOnly[steps.get(0).arg(1)] = true;
        }
        for (int k = steps.get(0).op() == Op.MATMUL ? 1 : 0; k < steps.size(); k++) {
            for (int i = 0; i < steps.get(k).arity(); i++) {
                int v = steps.get(k).arg(i);
                if (v < inputs.size()) {
                    matmulOnly[v] = false;
                }
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!matmulOnly[i] && !broadcastsTo(inputs.get(i), out)) {
                throw new IllegalArgumentException("input " + i + " of shape " + inputs.get(i)
                        + " does not broadcast to the output shape " + out);
            }
        }
    }

    private static boolean broadcastsTo(Shape in, Shape out) {
        try {
            return Shape.broadcast(in, out).equals(out);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static IllegalArgumentException error(int k, Step step, String message) {
        return new IllegalArgumentException("step " + k + " (" + step.op().opName() + "): " + message);
    }
}
