package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.ops.Op;

/**
 * The CUDA C expression of each elementwise op, matching the CPU backend's semantics: Java's NaN-wins
 * {@code Math.max}/{@code min} and {@code pow} special cases, round half even ({@code rint}), sigmoid without
 * overflow, wrapping integer arithmetic, and Java's saturating float-to-integer casts (helpers in
 * {@code prelude.cuh}). Float32 ops call the single-precision CUDA functions ({@code expf}, ...), so they may
 * differ from the CPU, which computes them in double and rounds, by an ulp or two.
 */
final class StepSource {
    private StepSource() {}

    /** The C type of a dtype's elements. */
    static String cType(DType t) {
        return switch (t) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT32 -> "int";
            case INT64 -> "long long";
            case BOOL -> "unsigned char";
        };
    }

    /**
     * Why {@code op} on arguments of {@code args} giving {@code result} has no CUDA code, or null when it has.
     * The dtype rules mirror the CPU kernels, which refuse the same combinations.
     */
    static String unsupported(Op op, DType[] args, DType result) {
        DType a = args[0];
        boolean sameTypes = args.length < 2 || args[args.length - 1] == args[args.length - 2];
        return switch (op) {
            case NEG, ABS, SIGN, RELU -> a == result && a != DType.BOOL ? null : typeError(op, args, result);
            case EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, ERF, FLOOR, CEIL, ROUND ->
                    a == result && a.isFloating() ? null : typeError(op, args, result);
            case ADD, SUB, MUL, MAXIMUM, MINIMUM ->
                    sameTypes && a == result && a != DType.BOOL ? null : typeError(op, args, result);
            case DIV, POW -> sameTypes && a == result && a.isFloating() ? null : typeError(op, args, result);
            case EQ, NE, LT, LE, GT, GE -> sameTypes && result == DType.BOOL ? null : typeError(op, args, result);
            case AND, OR, XOR -> sameTypes && a == DType.BOOL && result == DType.BOOL ? null : typeError(op, args, result);
            case NOT -> a == DType.BOOL && result == DType.BOOL ? null : typeError(op, args, result);
            case IS_NAN, IS_INF -> result == DType.BOOL ? null : typeError(op, args, result);
            case STOP_GRADIENT -> a == result ? null : typeError(op, args, result);
            case CAST -> null;
            case WHERE -> args[0] == DType.BOOL && sameTypes && args[1] == result ? null : typeError(op, args, result);
            default -> "not an elementwise op";
        };
    }

    private static String typeError(Op op, DType[] args, DType result) {
        StringBuilder b = new StringBuilder("no CUDA code for '").append(op.opName()).append("' on (");
        for (int i = 0; i < args.length; i++) {
            b.append(i == 0 ? "" : ", ").append(args[i].shortName());
        }
        return b.append(") -> ").append(result.shortName()).append(" (the CPU backend refuses it too)").toString();
    }

    /** The expression computing {@code op} on the C expressions {@code x}, with {@code t} the first argument's dtype. */
    static String expr(Op op, DType t, DType result, String... x) {
        String f = t == DType.FLOAT32 ? "f" : ""; // the single-precision suffix of C math functions
        String a = x[0];
        return switch (op) {
            case NEG -> t.isFloating() ? "(-" + a + ")" : wrap(t, "0ULL - (unsigned long long)" + a);
            case ABS -> t.isFloating() ? "fabs" + f + "(" + a + ")" : "(" + a + " < 0 ? " + expr(Op.NEG, t, t, a) + " : " + a + ")";
            case SIGN -> "janus_sign(" + a + ")";
            case RELU -> t.isFloating() ? "janus_max(" + a + ", (" + cType(t) + ") 0)" : "(" + a + " > 0 ? " + a + " : 0)";
            case EXP, LOG, LOG1P, EXPM1, SQRT, SIN, COS, TAN, TANH, ERF, FLOOR, CEIL -> op.opName() + f + "(" + a + ")";
            case ROUND -> "rint" + f + "(" + a + ")";
            case RSQRT -> "(1 / sqrt" + f + "(" + a + "))";
            case SIGMOID -> "janus_sigmoid(" + a + ")";
            case ADD -> arith(t, a, "+", x[1]);
            case SUB -> arith(t, a, "-", x[1]);
            case MUL -> arith(t, a, "*", x[1]);
            case DIV -> "(" + a + " / " + x[1] + ")";
            case POW -> "janus_pow(" + a + ", " + x[1] + ")";
            case MAXIMUM -> "janus_max(" + a + ", " + x[1] + ")";
            case MINIMUM -> "janus_min(" + a + ", " + x[1] + ")";
            case EQ -> compare(a, "==", x[1]);
            case NE -> compare(a, "!=", x[1]);
            case LT -> compare(a, "<", x[1]);
            case LE -> compare(a, "<=", x[1]);
            case GT -> compare(a, ">", x[1]);
            case GE -> compare(a, ">=", x[1]);
            case AND -> compare("(" + a + " != 0)", "&&", "(" + x[1] + " != 0)");
            case OR -> compare("(" + a + " != 0)", "||", "(" + x[1] + " != 0)");
            case XOR -> compare(a, "!=", x[1]);
            case NOT -> "((unsigned char) (" + a + " ^ 1))"; // like the CPU kernel
            case IS_NAN -> t.isFloating() ? compare(a, "!=", a) : "((unsigned char) 0)";
            case IS_INF -> t.isFloating() ? "((unsigned char) janus_isinf(" + a + "))" : "((unsigned char) 0)";
            case STOP_GRADIENT -> a;
            case CAST -> CastSource.cast(t, result, a);
            case WHERE -> "(" + a + " != 0 ? " + x[1] + " : " + x[2] + ")";
            default -> throw new UnsupportedKernelException("op '" + op.opName() + "' has no CUDA code");
        };
    }

    /** Float arithmetic as written; integer arithmetic in unsigned, which wraps like Java's (signed overflow is undefined in C). */
    private static String arith(DType t, String a, String operator, String b) {
        if (t.isFloating()) {
            return "(" + a + " " + operator + " " + b + ")";
        }
        return wrap(t, "(unsigned long long)" + a + " " + operator + " (unsigned long long)" + b);
    }

    private static String wrap(DType t, String unsignedExpr) {
        return "((" + cType(t) + ") (" + unsignedExpr + "))";
    }

    private static String compare(String a, String operator, String b) {
        return "((unsigned char) (" + a + " " + operator + " " + b + "))";
    }
}
