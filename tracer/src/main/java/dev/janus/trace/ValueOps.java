package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.trace.TraceValue.Concrete;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * The meaning of each JVM instruction on {@link TraceValue}s, for ASM's {@link org.objectweb.asm.tree.analysis.Frame}
 * (which does the stack and local bookkeeping). Concrete values are computed as the JVM would; symbolic
 * numbers go to {@link Scalars}; objects, fields and arrays to {@link Heap}; calls to {@link Calls}.
 * Jumps, switches, returns and throws only pop here: {@link Activation} decides where to go.
 */
final class ValueOps extends Interpreter<TraceValue> {
    private final Activation act;

    ValueOps(Activation act) {
        super(Opcodes.ASM9);
        this.act = act;
    }

    @Override
    public TraceValue newValue(Type type) {
        return TraceValue.Empty.INSTANCE;
    }

    @Override
    public TraceValue newEmptyValue(int local) {
        return TraceValue.Empty.INSTANCE;
    }

    @Override
    public TraceValue newOperation(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return switch (op) {
            case ACONST_NULL -> Concrete.NULL;
            case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> Concrete.prim(op - ICONST_0);
            case LCONST_0, LCONST_1 -> Concrete.prim((long) (op - LCONST_0));
            case FCONST_0, FCONST_1, FCONST_2 -> Concrete.prim((float) (op - FCONST_0));
            case DCONST_0, DCONST_1 -> Concrete.prim((double) (op - DCONST_0));
            case BIPUSH, SIPUSH -> Concrete.prim(((IntInsnNode) insn).operand);
            case LDC -> constant(((LdcInsnNode) insn).cst);
            case GETSTATIC -> Heap.getStatic(act, (FieldInsnNode) insn);
            case NEW -> new TraceValue.Uninit(Type.getObjectType(((TypeInsnNode) insn).desc));
            default -> throw act.error("opcode " + op, "report this with the class file");
        };
    }

    private TraceValue constant(Object cst) {
        if (cst instanceof Number n) {
            return Concrete.prim(n);
        } else if (cst instanceof String s) {
            return Concrete.ref(s);
        } else if (cst instanceof Type t && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY)) {
            return Concrete.ref(Reflect.classOf(t, act.loader()));
        }
        String what = cst instanceof Handle ? "a method handle constant" : cst instanceof ConstantDynamic
                ? "a dynamic constant" : "a method type constant";
        throw act.error(what, "the tracer reads numbers, strings and classes as constants only");
    }

    @Override
    public TraceValue copyOperation(AbstractInsnNode insn, TraceValue value) {
        int op = insn.getOpcode();
        if (op >= ILOAD && op <= ALOAD && value == TraceValue.Empty.INSTANCE) {
            throw act.error("a read of a local variable the tracer dropped after a data-dependent loop",
                    "use a variable assigned before or after the loop instead of the loop counter");
        }
        return value;
    }

    @Override
    public TraceValue unaryOperation(AbstractInsnNode insn, TraceValue v) {
        TraceValue x = v.resolved();
        int op = insn.getOpcode();
        return switch (op) {
            case INEG, LNEG, FNEG, DNEG, I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F, I2B, I2C, I2S, IINC ->
                    x.isSymbolic() ? Scalars.unary(act, insn, x) : Concrete.prim(Arithmetic.unary(insn, ((Concrete) x).value()));
            case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IFNULL, IFNONNULL, TABLESWITCH, LOOKUPSWITCH, IRETURN, LRETURN,
                    FRETURN, DRETURN, ARETURN, ATHROW -> null;
            case PUTSTATIC -> throw act.error("a write to static field " + Type.getObjectType(((FieldInsnNode) insn).owner)
                    .getClassName().replaceAll(".*[.$]", "") + "." + ((FieldInsnNode) insn).name, "the graph cannot replay "
                    + "writes to Java state; return the value instead");
            case GETFIELD -> Heap.getField(act, (FieldInsnNode) insn, x);
            case NEWARRAY, ANEWARRAY -> Heap.newArray(act, insn, x);
            case ARRAYLENGTH -> Heap.arrayLength(act, x);
            case CHECKCAST -> Heap.checkCast(act, ((TypeInsnNode) insn).desc, x);
            case INSTANCEOF -> Heap.instanceOf(act, ((TypeInsnNode) insn).desc, x);
            case MONITORENTER, MONITOREXIT -> throw act.error("a synchronized block", "a graph has no locks; remove the "
                    + "synchronized block from the traced code, or lock around the call of the traced function");
            default -> throw act.error("opcode " + op, "report this with the class file");
        };
    }

    @Override
    public TraceValue binaryOperation(AbstractInsnNode insn, TraceValue v1, TraceValue v2) {
        TraceValue a = v1.resolved();
        TraceValue b = v2.resolved();
        int op = insn.getOpcode();
        if (op >= IALOAD && op <= SALOAD) {
            return Heap.arrayLoad(act, a, b);
        } else if (op >= IADD && op <= DCMPG) {
            if (a.isSymbolic() || b.isSymbolic()) {
                return Scalars.binary(act, insn, a, b);
            }
            try {
                return Concrete.prim(Arithmetic.binary(op, ((Concrete) a).value(), ((Concrete) b).value()));
            } catch (ArithmeticException e) {
                throw act.thrown(e);
            }
        } else if (op == PUTFIELD) {
            Heap.putField(act, (FieldInsnNode) insn, a, b);
        }
        return null; // IF_ICMPxx, IF_ACMPxx: the driver decides
    }

    @Override
    public TraceValue ternaryOperation(AbstractInsnNode insn, TraceValue array, TraceValue index, TraceValue value) {
        Heap.arrayStore(act, array.resolved(), index.resolved(), value.resolved());
        return null;
    }

    @Override
    public TraceValue naryOperation(AbstractInsnNode insn, List<? extends TraceValue> values) {
        List<TraceValue> args = new ArrayList<>(values.size());
        for (TraceValue v : values) {
            args.add(v.resolved());
        }
        if (act.facts.inTry(act.pc) && args.stream().anyMatch(TraceValue::isSymbolic)) {
            throw act.error("code on traced values inside a try block", "a graph cannot catch exceptions (its errors "
                    + "surface when it runs); move the try/catch out of the traced code");
        }
        if (insn instanceof MethodInsnNode m) {
            return Calls.invoke(act, m, args);
        } else if (insn instanceof InvokeDynamicInsnNode d) {
            return Lambdas.invokedynamic(act, d, args);
        }
        return Heap.newMultiArray(act, (MultiANewArrayInsnNode) insn, args);
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, TraceValue value, TraceValue expected) {
        // the driver handles returns
    }

    @Override
    public TraceValue merge(TraceValue a, TraceValue b) {
        throw new UnsupportedOperationException("the tracer follows one path at a time and never merges frames");
    }
}
