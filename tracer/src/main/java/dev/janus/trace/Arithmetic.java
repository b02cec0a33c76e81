package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;

/** JVM arithmetic on concrete numbers, exactly as the JVM computes it. */
final class Arithmetic {
    private Arithmetic() {}

    static Object binary(int op, Object a, Object b) {
        return switch (op) {
            case IADD -> i(a) + i(b);
            case ISUB -> i(a) - i(b);
            case IMUL -> i(a) * i(b);
            case IDIV -> i(a) / i(b);
            case IREM -> i(a) % i(b);
            case ISHL -> i(a) << i(b);
            case ISHR -> i(a) >> i(b);
            case IUSHR -> i(a) >>> i(b);
            case IAND -> i(a) & i(b);
            case IOR -> i(a) | i(b);
            case IXOR -> i(a) ^ i(b);
            case LADD -> l(a) + l(b);
            case LSUB -> l(a) - l(b);
            case LMUL -> l(a) * l(b);
            case LDIV -> l(a) / l(b);
            case LREM -> l(a) % l(b);
            case LSHL -> l(a) << i(b);
            case LSHR -> l(a) >> i(b);
            case LUSHR -> l(a) >>> i(b);
            case LAND -> l(a) & l(b);
            case LOR -> l(a) | l(b);
            case LXOR -> l(a) ^ l(b);
            case FADD -> f(a) + f(b);
            case FSUB -> f(a) - f(b);
            case FMUL -> f(a) * f(b);
            case FDIV -> f(a) / f(b);
            case FREM -> f(a) % f(b);
            case DADD -> d(a) + d(b);
            case DSUB -> d(a) - d(b);
            case DMUL -> d(a) * d(b);
            case DDIV -> d(a) / d(b);
            case DREM -> d(a) % d(b);
            case LCMP -> Long.compare(l(a), l(b));
            case FCMPL, FCMPG -> compare(f(a), f(b), op == FCMPL ? -1 : 1);
            case DCMPL, DCMPG -> compare(d(a), d(b), op == DCMPL ? -1 : 1);
            default -> throw new IllegalArgumentException("not a binary arithmetic opcode: " + op);
        };
    }

    private static int compare(double a, double b, int nan) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return nan;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    static Object unary(AbstractInsnNode insn, Object v) {
        return switch (insn.getOpcode()) {
            case IINC -> i(v) + ((IincInsnNode) insn).incr;
            case INEG -> -i(v);
            case LNEG -> -l(v);
            case FNEG -> -f(v);
            case DNEG -> -d(v);
            case I2L -> (long) i(v);
            case I2F -> (float) i(v);
            case I2D -> (double) i(v);
            case L2I -> (int) l(v);
            case L2F -> (float) l(v);
            case L2D -> (double) l(v);
            case F2I -> (int) f(v);
            case F2L -> (long) f(v);
            case F2D -> (double) f(v);
            case D2I -> (int) d(v);
            case D2L -> (long) d(v);
            case D2F -> (float) d(v);
            case I2B -> (int) (byte) i(v);
            case I2C -> (int) (char) i(v);
            case I2S -> (int) (short) i(v);
            default -> throw new IllegalArgumentException("not a unary arithmetic opcode: " + insn.getOpcode());
        };
    }

    private static int i(Object o) {
        return (Integer) o;
    }

    private static long l(Object o) {
        return (Long) o;
    }

    private static float f(Object o) {
        return (Float) o;
    }

    private static double d(Object o) {
        return (Double) o;
    }
}
