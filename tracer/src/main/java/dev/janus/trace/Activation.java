package dev.janus.trace;

import dev.janus.Janus;
import dev.janus.graph.SourceLocation;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * One interpreted call of a user method: the driver that decides which instruction runs next. Straight-line
 * instructions go to {@link Frame#execute} with {@link ValueOps}; a jump on a concrete condition is followed;
 * one on a symbolic condition becomes a graph {@code if} ({@link SymbolicIf}) or {@code loop}
 * ({@link SymbolicLoop}).
 */
final class Activation {
    final TraceSession session;
    final Class<?> owner;
    final MethodFacts facts;
    final Activation caller;
    final ValueOps ops;
    /** The instruction being interpreted (for locations and messages). */
    int pc;
    /** Symbolic branches being recorded in this call, by instruction: meeting one again means a loop exit. */
    private final BitSet activeBranches = new BitSet();

    private Activation(TraceSession session, Class<?> owner, MethodFacts facts, Activation caller) {
        this.session = session;
        this.owner = owner;
        this.facts = facts;
        this.caller = caller;
        this.ops = new ValueOps(this);
    }

    /** A stand-in caller for the traced method itself: calls from it resolve like a call in bytecode. */
    static Activation root(TraceSession session, Class<?> owner) {
        return new Activation(session, owner, MethodFacts.MISSING, null);
    }

    /** Calls {@code owner.name desc} on {@code args} (receiver first unless static) the way bytecode would. */
    static TraceValue invokeTop(TraceSession session, Class<?> owner, String name, String desc, int opcode,
            List<TraceValue> args) {
        Activation root = root(session, owner);
        MethodInsnNode insn = new MethodInsnNode(opcode, Type.getInternalName(owner), name, desc, owner.isInterface());
        try (Janus.Scope at = SourceLocation.withOverride(root.location())) {
            return Calls.invoke(root, insn, args);
        }
    }

    /** Interprets user method {@code facts} of {@code declaring} on {@code args}, called from this activation. */
    TraceValue call(Class<?> declaring, MethodFacts callee, List<TraceValue> args) {
        Activation a = new Activation(session, declaring, callee, this);
        if ((callee.method.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            throw a.error("synchronized method " + declaring.getSimpleName() + "." + callee.method.name,
                    "a graph has no locks; make the method not synchronized, or call it outside the traced code");
        }
        session.enterCall(a);
        try {
            Outcome o = a.run(a.initialFrame(args), 0, Outcome.Region.WHOLE_METHOD);
            return ((Outcome.Returned) o).value();
        } finally {
            session.exitCall();
        }
    }

    private Frame<TraceValue> initialFrame(List<TraceValue> args) {
        Frame<TraceValue> f = new Frame<>(facts.method.maxLocals, facts.method.maxStack);
        for (int i = 0; i < facts.method.maxLocals; i++) {
            f.setLocal(i, TraceValue.Empty.INSTANCE);
        }
        int slot = 0;
        int k = 0;
        if ((facts.method.access & Opcodes.ACC_STATIC) == 0) {
            f.setLocal(slot++, args.get(k++));
        }
        for (Type t : Type.getArgumentTypes(facts.method.desc)) {
            f.setLocal(slot, Values.adapt(args.get(k++), t));
            slot += t.getSize();
        }
        return f;
    }

    ClassLoader loader() {
        return owner.getClassLoader() != null ? owner.getClassLoader() : ClassLoader.getSystemClassLoader();
    }

    SourceLocation location() {
        return location(pc);
    }

    SourceLocation location(int at) {
        if (!facts.exists()) {
            return new SourceLocation(owner.getName(), "?", null, -1);
        }
        return new SourceLocation(owner.getName(), facts.method.name, facts.owner.sourceFile, facts.line(at));
    }

    /** A {@link TraceException} at the current instruction, with the call chain that led here. */
    TraceException error(String construct, String fix) {
        return error(construct, fix, null);
    }

    TraceException error(String construct, String fix, Throwable cause) {
        return new TraceException(construct, location(), fix, chain(), cause);
    }

    /** {@code \n  called from Model.java:17 (in com.acme.Model.forward)} for each interpreted caller. */
    String chain() {
        StringBuilder sb = new StringBuilder();
        for (Activation a = caller; a != null; a = a.caller) {
            if (a.facts.exists()) {
                SourceLocation l = a.location();
                sb.append("\n  called from ").append(l).append(" (in ").append(l.className()).append('.')
                        .append(l.method()).append(')');
            }
        }
        return sb.toString();
    }

    /** An exception raised by the traced code at the current instruction. */
    TraceThrow thrown(Throwable t) {
        return new TraceThrow(t, location(), chain());
    }

    // ---- the driver ----

    /** Interprets from instruction {@code at} until {@code region}'s stop instruction or a return. */
    Outcome run(Frame<TraceValue> frame, int at, Outcome.Region region) {
        Frame<TraceValue> f = frame;
        int p = at;
        while (true) {
            if (p == region.stop()) {
                return new Outcome.Reached(p, f);
            }
            AbstractInsnNode insn = facts.insns[p];
            pc = p;
            if (insn.getOpcode() < 0) {
                p++;
                continue;
            }
            checkInside(region, p);
            session.step(this);
            try (Janus.Scope here = SourceLocation.withOverride(location(p))) {
                Outcome o = step(f, insn, p, region);
                if (o instanceof Outcome.Returned) {
                    return o;
                }
                Outcome.Reached r = (Outcome.Reached) o;
                f = r.frame();
                p = r.pc();
            } catch (TraceThrow t) {
                int h = handler(p, t.thrown);
                if (h < 0) {
                    throw t;
                }
                f.clearStack();
                f.push(TraceValue.Concrete.ref(t.thrown));
                p = h;
            }
        }
    }

    private void checkInside(Outcome.Region region, int p) {
        if (region.blocks() != null && !region.blocks().get(facts.analysis().blockOf(p))) {
            throw error("a jump out of " + region.what() + " (break, or an exit under a condition)", "a loop recorded "
                    + "into the graph ends only by its condition; compute a flag tensor and fold it into the loop "
                    + "condition instead");
        }
    }

    /** Interprets one instruction and says where to go next. */
    private Outcome step(Frame<TraceValue> f, AbstractInsnNode insn, int p, Outcome.Region region) {
        int op = insn.getOpcode();
        if (insn instanceof JumpInsnNode j) {
            return jump(f, j, p, region);
        } else if (insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode) {
            return new Outcome.Reached(switchTarget(f.pop().resolved(), insn), f);
        } else if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
            if (region.blocks() != null) {
                throw error("return inside " + region.what(), "a loop recorded into the graph ends only by its "
                        + "condition; assign the result to a variable and return after the loop");
            }
            return new Outcome.Returned(op == Opcodes.RETURN ? null : f.pop().resolved());
        } else if (op == Opcodes.ATHROW) {
            throw throwInsn(f.pop().resolved());
        }
        execute(f, insn);
        return new Outcome.Reached(p + 1, f);
    }

    /** Runs {@code insn} on {@code f} through ASM's frame semantics and {@link ValueOps}. */
    void execute(Frame<TraceValue> f, AbstractInsnNode insn) {
        try {
            f.execute(insn, ops);
        } catch (AnalyzerException e) {
            throw error("bytecode the tracer cannot follow (" + e.getMessage() + ")", "report this with the class file", e);
        }
    }

    private Outcome jump(Frame<TraceValue> f, JumpInsnNode j, int p, Outcome.Region region) {
        int target = facts.index(j.label);
        if (j.getOpcode() == Opcodes.GOTO) {
            return new Outcome.Reached(target, f);
        } else if (j.getOpcode() == Opcodes.JSR) {
            throw error("JSR subroutine", "recompile the class with a Java 7 or later compiler");
        }
        Condition c = Condition.at(j, f);
        if (c.isConcrete()) {
            execute(f, j);
            return new Outcome.Reached(c.taken() ? target : p + 1, f);
        }
        if (facts.inTry(p)) {
            throw error("a data-dependent branch inside a try block", "a graph cannot catch exceptions; move the "
                    + "try/catch out of the traced code");
        }
        return SymbolicIf.branch(this, f, j, p, c, region);
    }

    private int switchTarget(TraceValue key, AbstractInsnNode insn) {
        if (key.isSymbolic()) {
            throw error("a switch on a data-dependent value", "compute the cases with tensor ops and choose with "
                    + "Tensor.where, or use if/else on a comparison");
        }
        int k = (Integer) ((TraceValue.Concrete) key).value();
        LabelNode to;
        if (insn instanceof TableSwitchInsnNode t) {
            to = k >= t.min && k <= t.max ? t.labels.get(k - t.min) : t.dflt;
        } else {
            LookupSwitchInsnNode l = (LookupSwitchInsnNode) insn;
            int i = l.keys.indexOf(k);
            to = i >= 0 ? l.labels.get(i) : l.dflt;
        }
        return facts.index(to);
    }

    private RuntimeException throwInsn(TraceValue v) {
        if (session.inSymbolicRegion()) {
            return error("a throw under a data-dependent condition", "a graph cannot throw; check the condition "
                    + "before calling the traced function, or compute a fallback value instead");
        }
        if (v instanceof TraceValue.Concrete c && c.value() instanceof Throwable t) {
            return thrown(t);
        }
        return thrown(new NullPointerException("throw of null"));
    }

    /** The handler that catches {@code t} thrown at {@code p}, or -1. */
    private int handler(int p, Throwable t) {
        for (TryCatchBlockNode b : facts.method.tryCatchBlocks) {
            if (facts.index(b.start) <= p && p < facts.index(b.end)
                    && (b.type == null || Reflect.load(b.type, loader(), false).isInstance(t))) {
                return facts.index(b.handler);
            }
        }
        return -1;
    }

    /** Marks the symbolic branch at {@code p} as being recorded; false when it already is (a loop exit). */
    boolean enterBranch(int p) {
        if (activeBranches.get(p)) {
            return false;
        }
        activeBranches.set(p);
        return true;
    }

    void exitBranch(int p) {
        activeBranches.clear(p);
    }
}
