package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Cmp;
import dev.janus.trace.TraceValue.Concrete;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The condition of a conditional jump, read from the operand stack before the jump pops it: either known
 * now, or a comparison of symbolic values that becomes a bool tensor of the graph.
 */
final class Condition {
    /** A comparison of two numbers. */
    enum Rel {
        EQ, NE, LT, GE, GT, LE;

        Rel negate() {
            return values()[ordinal() ^ 1];
        }

        boolean test(int compared) {
            return switch (this) {
                case EQ -> compared == 0;
                case NE -> compared != 0;
                case LT -> compared < 0;
                case GE -> compared >= 0;
                case GT -> compared > 0;
                case LE -> compared <= 0;
            };
        }

        Tensor apply(Tensor a, Tensor b) {
            return switch (this) {
                case EQ -> a.eq(b);
                case NE -> a.ne(b);
                case LT -> a.lt(b);
                case GE -> a.ge(b);
                case GT -> a.gt(b);
                case LE -> a.le(b);
            };
        }
    }

    private final Boolean known;
    private final Rel rel;
    private final TraceValue a;
    private final TraceValue b;
    private final int nanResult;

    private Condition(Boolean known, Rel rel, TraceValue a, TraceValue b, int nanResult) {
        this.known = known;
        this.rel = rel;
        this.a = a;
        this.b = b;
        this.nanResult = nanResult;
    }

    private static Condition known(boolean taken) {
        return new Condition(taken, null, null, null, 0);
    }

    /** The condition of {@code j} on the values at the top of {@code f}'s stack. */
    static Condition at(JumpInsnNode j, Frame<TraceValue> f) {
        int op = j.getOpcode();
        int top = f.getStackSize() - 1;
        if (op >= IFEQ && op <= IFLE) {
            return unary(Rel.values()[op - IFEQ], f.getStack(top).resolved());
        } else if (op >= IF_ICMPEQ && op <= IF_ICMPLE) {
            return binary(Rel.values()[op - IF_ICMPEQ], f.getStack(top - 1).resolved(), f.getStack(top).resolved());
        } else if (op == IF_ACMPEQ || op == IF_ACMPNE) {
            boolean same = sameReference(f.getStack(top - 1).resolved(), f.getStack(top).resolved());
            return known(same == (op == IF_ACMPEQ));
        }
        TraceValue v = f.getStack(top).resolved();
        boolean isNull = v instanceof Concrete c && c.value() == null;
        return known(isNull == (op == IFNULL));
    }

    private static Condition unary(Rel r, TraceValue v) {
        if (v instanceof Cmp c) {
            return new Condition(null, r, c.a(), c.b(), c.nanResult());
        } else if (v instanceof Concrete c) {
            return known(r.test((Integer) c.value()));
        }
        return new Condition(null, r, v, Concrete.prim(0), 0);
    }

    private static Condition binary(Rel r, TraceValue a, TraceValue b) {
        if (a instanceof Concrete x && b instanceof Concrete y) {
            return known(r.test(Integer.compare((Integer) x.value(), (Integer) y.value())));
        }
        return new Condition(null, r, a, b, 0);
    }

    private static boolean sameReference(TraceValue a, TraceValue b) {
        if (a instanceof Concrete x && b instanceof Concrete y) {
            return x.value() == y.value();
        }
        return a == b;
    }

    boolean isConcrete() {
        return known != null;
    }

    /** Whether the jump is taken (concrete conditions only). */
    boolean taken() {
        return known;
    }

    /**
     * The condition as a bool scalar of the graph: true when the jump is taken ({@code whenTaken}) or when it
     * falls through. Keeps Java's NaN semantics: {@code x > 0} compiled as {@code dcmpl; ifle} is false for NaN.
     */
    Tensor tensor(boolean whenTaken) {
        Rel r = whenTaken ? rel : rel.negate();
        char kind = Scalars.common(a, b);
        Tensor x = Scalars.tensorOf(a, kind);
        Tensor y = Scalars.tensorOf(b, kind);
        if (nanResult == 0 || r.test(nanResult) == (r == Rel.NE)) {
            return r.apply(x, y);
        }
        return r.negate().apply(x, y).logicalNot();
    }
}
