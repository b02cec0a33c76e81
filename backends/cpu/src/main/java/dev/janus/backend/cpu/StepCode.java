package dev.janus.backend.cpu;

import static org.objectweb.asm.Opcodes.DCONST_0;
import static org.objectweb.asm.Opcodes.DDIV;
import static org.objectweb.asm.Opcodes.FCONST_0;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IDIV;
import static org.objectweb.asm.Opcodes.IMUL;
import static org.objectweb.asm.Opcodes.INEG;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISUB;

import dev.janus.ops.Op;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/** The instructions of each op, applied to operands already on the stack. */
final class StepCode {
    private static final String MATH = "java/lang/Math";
    private static final String SPECIAL = Type.getInternalName(SpecialFunctions.class);

    private StepCode() {}

    /** Ops the float32 kernels compute in float; all others widen to double and round the result. */
    static boolean inFloat(Op op) {
        return switch (op) {
            case NEG, ABS, RELU, ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    /** Applies {@code op} to operands of type {@code t} ({@code single} picks float32's erf). */
    static void emit(MethodVisitor mv, Op op, Type t, boolean single) {
        String unary = "(" + t.getDescriptor() + ")" + t.getDescriptor();
        String binary = "(" + t.getDescriptor() + t.getDescriptor() + ")" + t.getDescriptor();
        switch (op) {
            case NEG -> mv.visitInsn(t.getOpcode(INEG));
            case ADD -> mv.visitInsn(t.getOpcode(IADD));
            case SUB -> mv.visitInsn(t.getOpcode(ISUB));
            case MUL -> mv.visitInsn(t.getOpcode(IMUL));
            case DIV -> mv.visitInsn(t.getOpcode(IDIV));
            case ABS -> math(mv, "abs", unary);
            case RELU -> { // max(x, 0): NaN stays NaN, -0 becomes 0, like the unfused kernels
                mv.visitInsn(t == Type.FLOAT_TYPE ? FCONST_0 : DCONST_0);
                math(mv, "max", binary);
            }
            case MAXIMUM -> math(mv, "max", binary);
            case MINIMUM -> math(mv, "min", binary);
            case POW -> math(mv, "pow", binary);
            case SIGN -> math(mv, "signum", unary);
            case EXP, LOG, LOG1P, EXPM1, SQRT, SIN, COS, TAN, FLOOR, CEIL -> math(mv, op.opName(), unary);
            case TANH -> mv.visitMethodInsn(INVOKESTATIC, SPECIAL, "tanh", unary, false);
            case ROUND -> math(mv, "rint", unary);
            case RSQRT -> {
                math(mv, "sqrt", unary);
                mv.visitInsn(DDIV);
            }
            case SIGMOID -> mv.visitMethodInsn(INVOKESTATIC, SPECIAL, "sigmoid", unary, false);
            case ERF -> mv.visitMethodInsn(INVOKESTATIC, SPECIAL, single ? "erfFloat" : "erf", unary, false);
            default -> throw new IllegalArgumentException("op '" + op.opName() + "' has no fused code");
        }
    }

    private static void math(MethodVisitor mv, String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, MATH, name, descriptor, false);
    }
}
