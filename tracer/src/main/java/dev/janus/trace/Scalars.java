package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Cmp;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;

/**
 * JVM arithmetic on symbolic numbers: each becomes an op on 0-d tensors of the graph, in the dtype of the
 * JVM type (int and long as i64, float as f32, double as f64). Comparisons stay unevaluated ({@link Cmp})
 * until the jump that reads them.
 */
final class Scalars {
    private Scalars() {}

    /** A 0-d tensor of {@code kind}'s dtype holding {@code v} (a number, symbolic or not). */
    static Tensor tensorOf(TraceValue v, char kind) {
        DType dtype = Sym.dtypeOf(kind);
        if (v instanceof Sym s) {
            return s.tensor().dtype() == dtype ? s.tensor() : s.tensor().cast(dtype);
        } else if (v instanceof Cmp c) {
            return materialize(c).cast(dtype);
        }
        Object n = ((Concrete) v).value();
        if (dtype == DType.INT64 && Math.abs(((Number) n).longValue()) > (1L << 53)) {
            return Tensor.of(new long[] {((Number) n).longValue()}).reshape();
        }
        return Tensor.scalar(((Number) n).doubleValue(), dtype);
    }

    /** The wider of two operand kinds for a comparison (any float kind makes it a float comparison). */
    static char common(TraceValue a, TraceValue b) {
        char x = kind(a);
        char y = kind(b);
        if (x == 'F' && y == 'F') {
            return 'F';
        }
        return x == 'F' || x == 'D' || y == 'F' || y == 'D' ? 'D' : 'J';
    }

    private static char kind(TraceValue v) {
        if (v instanceof Sym s) {
            return s.kind();
        } else if (v instanceof Cmp) {
            return 'I';
        }
        return Values.numberKind(((Concrete) v).value());
    }

    /** Binary arithmetic ({@code IADD} ... {@code DREM}, {@code *CMP*}) with at least one symbolic operand. */
    static TraceValue binary(Activation act, AbstractInsnNode insn, TraceValue a, TraceValue b) {
        int op = insn.getOpcode();
        if (op >= LCMP && op <= DCMPG) {
            return new Cmp(a, b, op == FCMPL || op == DCMPL ? -1 : op == LCMP ? 0 : 1);
        }
        if (op > DREM) {
            throw act.error("a shift or bitwise operation on a data-dependent number", "compute it with integer "
                    + "tensor ops, or keep the value concrete");
        }
        char kind = "IJFD".charAt((op - IADD) % 4);
        Tensor x = tensorOf(a, kind);
        Tensor y = tensorOf(b, kind);
        Tensor r = switch ((op - IADD) / 4) {
            case 0 -> x.add(y);
            case 1 -> x.sub(y);
            case 2 -> x.mul(y);
            case 3 -> kind == 'I' || kind == 'J' ? truncatedDivision(x, y) : x.div(y);
            default -> x.sub(truncatedDivision(x, y).cast(x.dtype()).mul(y)); // Java's remainder keeps the dividend's sign
        };
        return new Sym(r, kind);
    }

    /** Java's integer division: the quotient rounded toward zero. */
    private static Tensor truncatedDivision(Tensor x, Tensor y) {
        Tensor q = x.cast(DType.FLOAT64).div(y.cast(DType.FLOAT64));
        return q.sign().mul(q.abs().floor()).cast(DType.INT64);
    }

    /** Negation, conversions and {@code IINC} on a symbolic number. */
    static TraceValue unary(Activation act, AbstractInsnNode insn, TraceValue v) {
        int op = insn.getOpcode();
        if (op == IINC) {
            Tensor x = tensorOf(v, 'I');
            return new Sym(x.add(tensorOf(Concrete.prim(((IincInsnNode) insn).incr), 'I')), 'I');
        } else if (op >= INEG && op <= DNEG) {
            char kind = "IJFD".charAt(op - INEG);
            return new Sym(tensorOf(v, kind).neg(), kind);
        } else if (op >= I2L && op <= D2F) {
            char to = CONVERSIONS.charAt(op - I2L);
            return new Sym(tensorOf(v, to), to);
        }
        throw act.error("a narrowing conversion (to byte, char or short) of a data-dependent number", "keep the value "
                + "an int, or compute it with tensor ops");
    }

    /** The target kinds of I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F in opcode order. */
    private static final String CONVERSIONS = "JFDIFDIJDIJF";

    /** The int a comparison pushes: 1, 0 or -1 (NaN counts as equal here), as an i64 tensor. */
    static Tensor materialize(Cmp c) {
        char kind = common(c.a(), c.b());
        Tensor x = tensorOf(c.a(), kind);
        Tensor y = tensorOf(c.b(), kind);
        return x.gt(y).cast(DType.INT64).sub(x.lt(y).cast(DType.INT64));
    }
}
