package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.ops.Op;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Unary, binary (with broadcasting), ternary and cast kernels. Floating ops compute in double through one
 * operator table; the hottest float32 ops have loops of their own so HotSpot can vectorize them. Binary
 * inputs always share a dtype: the Tensor layer inserts the casts that promotion needs.
 */
final class ElementwiseKernels {
    private ElementwiseKernels() {}

    // ------------------------------------------------------------------ operator tables

    private static DoubleUnaryOperator floatOp(Op op, boolean single) {
        return switch (op) {
            case NEG -> x -> -x;
            case ABS -> Math::abs;
            case SIGN -> Math::signum;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case LOG1P -> Math::log1p;
            case EXPM1 -> Math::expm1;
            case SQRT -> Math::sqrt;
            case RSQRT -> x -> 1 / Math.sqrt(x);
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case TAN -> Math::tan;
            case TANH -> SpecialFunctions::tanh;
            case SIGMOID -> SpecialFunctions::sigmoid;
            case RELU -> x -> x > 0 ? x : (x == x ? 0 : x);
            case ERF -> single ? SpecialFunctions::erfFloat : SpecialFunctions::erf;
            case FLOOR -> Math::floor;
            case CEIL -> Math::ceil;
            case ROUND -> Math::rint;
            default -> throw new IllegalStateException("not a floating unary op: " + op);
        };
    }

    private static LongUnaryOperator longOp(Op op) {
        return switch (op) {
            case NEG -> x -> -x;
            case ABS -> Math::abs;
            case SIGN -> Long::signum;
            case RELU -> x -> Math.max(x, 0);
            default -> throw new IllegalStateException("not an integer unary op: " + op);
        };
    }

    private static DoubleBinaryOperator floatOp2(Op op) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> (a, b) -> a / b;
            case POW -> Math::pow;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
            default -> throw new IllegalStateException("not a floating binary op: " + op);
        };
    }

    private static LongBinaryOperator longOp2(Op op) {
        return switch (op) {
            case ADD -> Long::sum;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
            default -> throw new IllegalStateException("not an integer binary op: " + op);
        };
    }

    /** A comparison as a predicate on doubles (NaN compares false, except for NE). */
    private interface DoubleTest {
        boolean test(double a, double b);
    }

    private interface LongTest {
        boolean test(long a, long b);
    }

    private static DoubleTest doubleTest(Op op) {
        return switch (op) {
            case EQ -> (a, b) -> a == b;
            case NE -> (a, b) -> a != b;
            case LT -> (a, b) -> a < b;
            case LE -> (a, b) -> a <= b;
            case GT -> (a, b) -> a > b;
            case GE -> (a, b) -> a >= b;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    private static LongTest longTest(Op op) {
        return switch (op) {
            case EQ -> (a, b) -> a == b;
            case NE, XOR -> (a, b) -> a != b;
            case LT -> (a, b) -> a < b;
            case LE -> (a, b) -> a <= b;
            case GT -> (a, b) -> a > b;
            case GE -> (a, b) -> a >= b;
            case AND -> (a, b) -> a != 0 && b != 0;
            case OR -> (a, b) -> a != 0 || b != 0;
            default -> throw new IllegalStateException("not a comparison: " + op);
        };
    }

    // ------------------------------------------------------------------ unary

    static CpuBuffer unary(Op op, CpuBuffer in, DType outType) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(outType, in.length);
        int n = in.length;
        switch (op) {
            case IS_NAN, IS_INF -> classify(op, in, out.bool());
            case NOT -> {
                byte[] a = in.bool();
                byte[] o = out.bool();
                Parallel.range(n, 1, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        o[i] = (byte) (a[i] ^ 1);
                    }
                });
            }
            default -> {
                switch (in.dtype) {
                    case FLOAT32 -> unaryF32(op, in.f32(), out.f32());
                    case FLOAT64 -> {
                        double[] a = in.f64();
                        double[] o = out.f64();
                        DoubleUnaryOperator f = floatOp(op, false);
                        Parallel.range(n, 8, (s, e) -> {
                            for (int i = s; i < e; i++) {
                                o[i] = f.applyAsDouble(a[i]);
                            }
                        });
                    }
                    case INT32 -> {
                        int[] a = in.i32();
                        int[] o = out.i32();
                        LongUnaryOperator f = longOp(op);
                        for (int i = 0; i < n; i++) {
                            o[i] = (int) f.applyAsLong(a[i]);
                        }
                    }
                    case INT64 -> {
                        long[] a = in.i64();
                        long[] o = out.i64();
                        LongUnaryOperator f = longOp(op);
                        for (int i = 0; i < n; i++) {
                            o[i] = f.applyAsLong(a[i]);
                        }
                    }
                    case BOOL -> throw new IllegalStateException("unary op " + op + " on bool");
                }
            }
        }
        return out;
    }

    private static void unaryF32(Op op, float[] a, float[] o) {
        int n = a.length;
        switch (op) {
            case NEG -> Parallel.range(n, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = -a[i];
                }
            });
            case ABS -> Parallel.range(n, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.abs(a[i]);
                }
            });
            case RELU -> Parallel.range(n, 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = Math.max(a[i], 0f); // NaN stays NaN; vectorizes, unlike a branch
                }
            });
            // the activations of recurrent steps get loops of their own: through the shared lambda below the
            // call site sees every op and HotSpot cannot inline the function
            case TANH -> Parallel.range(n, 8, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) SpecialFunctions.tanh(a[i]);
                }
            });
            case SIGMOID -> Parallel.range(n, 8, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) SpecialFunctions.sigmoid(a[i]);
                }
            });
            case EXP -> Parallel.range(n, 8, (s, e) -> {
                for (int i = s; i < e; i++) {
                    o[i] = (float) Math.exp(a[i]);
                }
            });
            default -> {
                DoubleUnaryOperator f = floatOp(op, true);
                Parallel.range(n, 8, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        o[i] = (float) f.applyAsDouble(a[i]);
                    }
                });
            }
        }
    }

    private static void classify(Op op, CpuBuffer in, byte[] o) {
        boolean nan = op == Op.IS_NAN;
        switch (in.dtype) {
            case FLOAT32 -> {
                float[] a = in.f32();
                for (int i = 0; i < a.length; i++) {
                    o[i] = (byte) ((nan ? Float.isNaN(a[i]) : Float.isInfinite(a[i])) ? 1 : 0);
                }
            }
            case FLOAT64 -> {
                double[] a = in.f64();
                for (int i = 0; i < a.length; i++) {
                    o[i] = (byte) ((nan ? Double.isNaN(a[i]) : Double.isInfinite(a[i])) ? 1 : 0);
                }
            }
            default -> java.util.Arrays.fill(o, (byte) 0); // integers and bools are never NaN or infinite
        }
    }

    /** True when a floating buffer holds a NaN or an infinity. */
    static boolean hasNonFinite(CpuBuffer b) {
        if (b.dtype == DType.FLOAT32) {
            for (float x : b.f32()) {
                if (!Float.isFinite(x)) {
                    return true;
                }
            }
        } else if (b.dtype == DType.FLOAT64) {
            for (double x : b.f64()) {
                if (!Double.isFinite(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ cast

    static CpuBuffer cast(CpuBuffer in, DType to) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(to, in.length);
        int n = in.length;
        if (in.dtype == to) {
            System.arraycopy(in.array, 0, out.array, 0, n);
        } else if (in.dtype == DType.BOOL && to == DType.FLOAT32) {
            byte[] a = in.bool();
            float[] o = out.f32();
            for (int i = 0; i < n; i++) {
                o[i] = a[i];
            }
        } else if (in.dtype == DType.FLOAT32 && to == DType.FLOAT64) {
            float[] a = in.f32();
            double[] o = out.f64();
            for (int i = 0; i < n; i++) {
                o[i] = a[i];
            }
        } else if (to == DType.FLOAT32) {
            float[] o = out.f32();
            for (int i = 0; i < n; i++) {
                o[i] = (float) in.getDouble(i);
            }
        } else if (to == DType.FLOAT64) {
            double[] o = out.f64();
            for (int i = 0; i < n; i++) {
                o[i] = in.getDouble(i);
            }
        } else if (to == DType.BOOL) {
            byte[] o = out.bool();
            for (int i = 0; i < n; i++) {
                o[i] = (byte) (in.getDouble(i) != 0 ? 1 : 0);
            }
        } else if (to == DType.INT32) {
            int[] o = out.i32();
            for (int i = 0; i < n; i++) {
                o[i] = (int) in.getLong(i);
            }
        } else {
            long[] o = out.i64();
            for (int i = 0; i < n; i++) {
                o[i] = in.getLong(i);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ binary

    static CpuBuffer binary(Op op, CpuBuffer a, long[] aShape, CpuBuffer b, long[] bShape, DType outType, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(outType, Shapes.numel(outShape));
        long[][] strides = {Strided.broadcast(aShape, outShape), Strided.broadcast(bShape, outShape), Strided.contiguous(outShape)};
        boolean compare = outType == DType.BOOL;
        int cost = op == Op.POW ? 16 : 1;
        Strided.forEach(outShape, strides, new long[3], cost, (off, step, n) -> {
            if (compare) {
                compareRow(op, a, off[0], step[0], b, off[1], step[1], out.bool(), off[2], n);
            } else {
                switch (a.dtype) {
                    case FLOAT32 -> rowF32(op, a.f32(), off[0], step[0], b.f32(), off[1], step[1], out.f32(), off[2], n);
                    case FLOAT64 -> {
                        double[] x = a.f64();
                        double[] y = b.f64();
                        double[] o = out.f64();
                        DoubleBinaryOperator f = floatOp2(op);
                        for (int i = 0; i < n; i++) {
                            o[off[2] + i] = f.applyAsDouble(x[off[0] + i * step[0]], y[off[1] + i * step[1]]);
                        }
                    }
                    case INT32 -> {
                        int[] x = a.i32();
                        int[] y = b.i32();
                        int[] o = out.i32();
                        LongBinaryOperator f = longOp2(op);
                        for (int i = 0; i < n; i++) {
                            o[off[2] + i] = (int) f.applyAsLong(x[off[0] + i * step[0]], y[off[1] + i * step[1]]);
                        }
                    }
                    case INT64 -> {
                        long[] x = a.i64();
                        long[] y = b.i64();
                        long[] o = out.i64();
                        LongBinaryOperator f = longOp2(op);
                        for (int i = 0; i < n; i++) {
                            o[off[2] + i] = f.applyAsLong(x[off[0] + i * step[0]], y[off[1] + i * step[1]]);
                        }
                    }
                    case BOOL -> throw new IllegalStateException("arithmetic op " + op + " on bool");
                }
            }
        });
        return out;
    }

    /** The float32 row loop: dedicated loops for the common arithmetic, the operator table for the rest. */
    private static void rowF32(Op op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] o, int oo, int n) {
        if (xs == 1 && ys == 1) {
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] + y[yo + i]; } return; }
                case SUB -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] - y[yo + i]; } return; }
                case MUL -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] * y[yo + i]; } return; }
                case DIV -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] / y[yo + i]; } return; }
                default -> { }
            }
        } else if (xs == 1 && ys == 0) {
            float c = y[yo];
            switch (op) {
                case ADD -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] + c; } return; }
                case SUB -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] - c; } return; }
                case MUL -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] * c; } return; }
                case DIV -> { for (int i = 0; i < n; i++) { o[oo + i] = x[xo + i] / c; } return; }
                default -> { }
            }
        }
        DoubleBinaryOperator f = floatOp2(op);
        for (int i = 0; i < n; i++) {
            o[oo + i] = (float) f.applyAsDouble(x[xo + i * xs], y[yo + i * ys]);
        }
    }

    private static void compareRow(Op op, CpuBuffer a, int ao, int as, CpuBuffer b, int bo, int bs, byte[] o, int oo, int n) {
        if (a.dtype == DType.FLOAT32 && bs == 0 && (op == Op.GT || op == Op.LT)) {
            // the comparison with a scalar behind relu's gradient and masks: a typed loop, no per-element dispatch
            float[] x = a.f32();
            float c = b.f32()[bo];
            boolean gt = op == Op.GT;
            for (int i = 0; i < n; i++) {
                float v = x[ao + i * as];
                o[oo + i] = (byte) ((gt ? v > c : v < c) ? 1 : 0);
            }
        } else if (a.dtype.isFloating()) {
            DoubleTest t = doubleTest(op);
            for (int i = 0; i < n; i++) {
                o[oo + i] = (byte) (t.test(a.getDouble(ao + i * as), b.getDouble(bo + i * bs)) ? 1 : 0);
            }
        } else {
            LongTest t = longTest(op);
            for (int i = 0; i < n; i++) {
                o[oo + i] = (byte) (t.test(a.getLong(ao + i * as), b.getLong(bo + i * bs)) ? 1 : 0);
            }
        }
    }

    // ------------------------------------------------------------------ where

    static CpuBuffer where(CpuBuffer c, long[] cShape, CpuBuffer a, long[] aShape, CpuBuffer b, long[] bShape, long[] outShape) {
        CpuBuffer out = CpuBuffer.allocateOverwritten(a.dtype, Shapes.numel(outShape));
        long[][] strides = {Strided.broadcast(cShape, outShape), Strided.broadcast(aShape, outShape),
                Strided.broadcast(bShape, outShape), Strided.contiguous(outShape)};
        byte[] cond = c.bool();
        Strided.forEach(outShape, strides, new long[4], 1, (off, step, n) -> {
            for (int i = 0; i < n; i++) {
                boolean pick = cond[off[0] + i * step[0]] != 0;
                int src = pick ? off[1] + i * step[1] : off[2] + i * step[2];
                Object from = pick ? a.array : b.array;
                copyElement(from, src, out.array, off[3] + i);
            }
        });
        return out;
    }

    private static void copyElement(Object from, int i, Object to, int j) {
        if (to instanceof float[] o) {
            o[j] = ((float[]) from)[i];
        } else if (to instanceof double[] o) {
            o[j] = ((double[]) from)[i];
        } else if (to instanceof int[] o) {
            o[j] = ((int[]) from)[i];
        } else if (to instanceof long[] o) {
            o[j] = ((long[]) from)[i];
        } else {
            ((byte[]) to)[j] = ((byte[]) from)[i];
        }
    }
}
