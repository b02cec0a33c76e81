package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * A loop whose test is symbolic, recorded as one graph {@code loop} node whose body is interpreted once. The
 * loop-carried values are the locals the loop assigns that are live at its head (tensors, and numbers as 0-d
 * tensors). A counted loop — {@code for (int t = start; t < limit; t++)} with a loop-invariant limit and one
 * increment per iteration — gets a trip count ({@code limit - start}) and its counter is the node's
 * iteration number; any other top-tested ({@code while}) or bottom-tested ({@code do ... while}) loop
 * re-evaluates its condition at the end of the body.
 *
 * <pre>{@code
 * for (int t = 0; t < T; t++) h = W.matmul(h).add(b).tanh();   // %9:f32[4, 1] = loop(%T, %true, %h)
 * }</pre>
 */
final class SymbolicLoop {
    private SymbolicLoop() {}

    /**
     * Where a symbolic test sits in a loop.
     *
     * @param header    the loop's header block
     * @param blocks    the loop's blocks
     * @param takenStays whether taking the jump stays in the loop
     * @param bodyStart where the body starts after a passing test (the header itself for do-while)
     * @param exit      where execution continues after the loop
     * @param doWhile   true when the test ends the body rather than heading it
     */
    record Shape(int header, BitSet blocks, boolean takenStays, int bodyStart, int exit, boolean doWhile) {}

    /** The loop a jump in block {@code b} tests, or null when the jump is an ordinary branch. */
    static Shape shape(MethodAnalysis a, int b, int target, int fall) {
        int tb = a.blockOf(target);
        int fb = a.blockOf(fall);
        BitSet l = a.loopHeadedBy(b);
        if (l != null && l.get(tb) != l.get(fb)) {
            boolean stays = l.get(tb);
            return new Shape(b, l, stays, stays ? target : fall, stays ? fall : target, false);
        }
        for (int h : new int[] {tb, fb}) {
            BitSet hl = a.loopHeadedBy(h);
            int other = h == tb ? fall : target;
            if (hl != null && hl.get(b) && a.start(h) == (h == tb ? target : fall) && !hl.get(a.blockOf(other))) {
                return new Shape(h, hl, h == tb, a.start(h), other, true);
            }
        }
        return null;
    }

    static Outcome record(Activation act, Frame<TraceValue> f, JumpInsnNode j, int p, Condition c, Shape shape,
            Outcome.Region region) {
        MethodAnalysis a = act.facts.analysis();
        Frame<TraceValue> base = new Frame<>(f);
        act.execute(base, j);
        if (base.getStackSize() != 0) {
            throw act.error("a data-dependent loop inside an expression", "assign the loop's result to a variable");
        }
        Counted counted = shape.doWhile() ? null : Counted.match(act, a, shape, j, f);
        BitSet carried = a.assignedIn(shape.blocks());
        BitSet live = a.liveAt(shape.header());
        live.or(a.liveAt(a.blockOf(shape.exit())));
        BitSet dead = (BitSet) carried.clone();
        dead.andNot(live);
        carried.and(live);
        if (counted != null) {
            carried.clear(counted.var());
            dead.set(counted.var());
        }
        Body body = new Body(act, base, j, p, shape, counted, carried.stream().toArray());
        List<Tensor> outs;
        try {
            Tensor trip = counted == null ? null : counted.tripCount();
            Tensor cond0 = counted == null ? c.tensor(shape.takenStays()) : null;
            outs = ControlFlow.loop(trip, cond0, body.initial(), body::step);
        } catch (IllegalArgumentException e) {
            act.pc = p;
            throw act.error("a data-dependent loop that cannot be recorded", e.getMessage(), e);
        } finally {
            act.pc = p;
        }
        Frame<TraceValue> after = new Frame<>(base);
        dead.stream().forEach(v -> after.setLocal(v, TraceValue.Empty.INSTANCE));
        for (int k = 0; k < body.vars.length; k++) {
            after.setLocal(body.vars[k], Values.fromTensor(outs.get(k), body.kinds[k]));
        }
        ScannedLists.afterLoop(act, body.scans, outs.subList(body.vars.length, outs.size()));
        return new Outcome.Reached(shape.exit(), after);
    }

    /** The loop body: the carried locals, and one recorded iteration. */
    private static final class Body {
        private final Activation act;
        private final Frame<TraceValue> base;
        private final JumpInsnNode test;
        private final int testPc;
        private final Shape shape;
        private final Counted counted;
        final int[] vars;
        final char[] kinds;
        /** The lists the body appends to: the loop's scanned outputs. */
        final ScannedLists.Collector scans = new ScannedLists.Collector();
        private final String what;

        Body(Activation act, Frame<TraceValue> base, JumpInsnNode test, int testPc, Shape shape, Counted counted,
                int[] vars) {
            this.act = act;
            this.base = base;
            this.test = test;
            this.testPc = testPc;
            this.shape = shape;
            this.counted = counted;
            this.vars = vars;
            this.kinds = new char[vars.length];
            this.what = "the data-dependent loop (" + act.location(testPc) + ")";
        }

        List<Tensor> initial() {
            List<Tensor> out = new ArrayList<>();
            for (int k = 0; k < vars.length; k++) {
                TraceValue v = base.getLocal(vars[k]).resolved();
                kinds[k] = Values.kindOf(v);
                if (kinds[k] == 0) {
                    throw act.error("a data-dependent loop that changes local variable " + act.facts.localName(vars[k], testPc)
                            + ", which holds " + Values.describe(v) + " when the loop starts", "a loop recorded into "
                                    + "the graph carries only tensors and numbers; give the variable a tensor of the "
                                    + "shape it will have before the loop");
                }
                out.add(Values.asTensor(v, kinds[k]));
            }
            return out;
        }

        ControlFlow.LoopStep step(Tensor i, List<Tensor> carried) {
            act.session.enterSymbolicRegion(scans);
            try {
                Frame<TraceValue> f = new Frame<>(base);
                for (int k = 0; k < vars.length; k++) {
                    f.setLocal(vars[k], Values.fromTensor(carried.get(k), kinds[k]));
                }
                if (counted != null) {
                    f.setLocal(counted.var(), counted.counter(i));
                }
                int headerPc = act.facts.analysis().start(shape.header());
                if (!shape.doWhile()) {
                    f = reached(act.run(f, shape.bodyStart(), new Outcome.Region(headerPc, shape.blocks(), what)));
                }
                Tensor cond = counted == null ? condition(f, headerPc) : null;
                return new ControlFlow.LoopStep(cond, next(f), scans.values);
            } finally {
                act.session.exitSymbolicRegion();
            }
        }

        /** Runs the loop's test again at the end of the body: true to go on. */
        private Tensor condition(Frame<TraceValue> f, int headerPc) {
            Frame<TraceValue> end = reached(act.run(f, headerPc, new Outcome.Region(testPc, shape.blocks(), what)));
            Condition c = Condition.at(test, end);
            act.execute(end, test);
            if (c.isConcrete()) {
                return Tensor.scalar(c.taken() == shape.takenStays() ? 1 : 0, DType.BOOL);
            }
            return c.tensor(shape.takenStays());
        }

        private List<Tensor> next(Frame<TraceValue> f) {
            List<Tensor> out = new ArrayList<>();
            for (int k = 0; k < vars.length; k++) {
                TraceValue v = f.getLocal(vars[k]).resolved();
                char kind = Values.kindOf(v);
                if (kind == 0 || (kind == Values.TENSOR) != (kinds[k] == Values.TENSOR)) {
                    throw act.error("a data-dependent loop whose body leaves " + Values.describe(v) + " in local variable "
                            + act.facts.localName(vars[k], testPc), "a carried variable keeps its kind (tensor or number) "
                                    + "through the loop");
                }
                out.add(Values.asTensor(v, kinds[k]));
            }
            return out;
        }

        private static Frame<TraceValue> reached(Outcome o) {
            return ((Outcome.Reached) o).frame();
        }
    }

    /**
     * A counted loop {@code for (int var = start; var < limit; var++)} ({@code <=} with {@code inclusive}).
     */
    record Counted(int var, TraceValue start, TraceValue limit, boolean inclusive) {

        /** {@code limit - start} (+1 when inclusive), an i64 scalar; a negative count runs no iteration. */
        Tensor tripCount() {
            Tensor lim = Scalars.tensorOf(limit, 'J');
            Tensor trip = startsAtZero() ? lim : lim.sub(Scalars.tensorOf(start, 'J'));
            return inclusive ? trip.add(1L) : trip;
        }

        /** The counter's value in iteration {@code i}. */
        TraceValue counter(Tensor i) {
            return new Sym(startsAtZero() ? i : i.add(Scalars.tensorOf(start, 'J')), 'I');
        }

        private boolean startsAtZero() {
            return start instanceof Concrete c && Integer.valueOf(0).equals(c.value());
        }

        static Counted match(Activation act, MethodAnalysis a, Shape shape, JumpInsnNode j, Frame<TraceValue> f) {
            int op = j.getOpcode();
            boolean stays = shape.takenStays();
            boolean inclusive = op == (stays ? IF_ICMPLE : IF_ICMPGT);
            if (!inclusive && op != (stays ? IF_ICMPLT : IF_ICMPGE)) {
                return null;
            }
            List<AbstractInsnNode> code = a.code(shape.header());
            if (code.size() != 3 || !(code.get(0) instanceof VarInsnNode v) || v.getOpcode() != ILOAD) {
                return null;
            }
            BitSet assigned = a.assignedIn(shape.blocks());
            if (!invariant(code.get(1), assigned) || !singleIncrement(act.facts, a, shape, v.var)
                    || a.liveAt(a.blockOf(shape.exit())).get(v.var)) {
                return null;
            }
            int top = f.getStackSize() - 1;
            return new Counted(v.var, f.getLocal(v.var).resolved(), f.getStack(top).resolved(), inclusive);
        }

        private static boolean invariant(AbstractInsnNode limit, BitSet assigned) {
            if (limit instanceof VarInsnNode w) {
                return w.getOpcode() == ILOAD && !assigned.get(w.var);
            }
            int op = limit.getOpcode();
            return (op >= ICONST_M1 && op <= ICONST_5) || limit instanceof IntInsnNode
                    || (limit instanceof LdcInsnNode l && l.cst instanceof Integer);
        }

        /** True when the loop's only write to {@code var} is one {@code var++} that runs once per iteration. */
        private static boolean singleIncrement(MethodFacts facts, MethodAnalysis a, Shape shape, int var) {
            int found = -1;
            for (int i = 0; i < facts.insns.length; i++) {
                AbstractInsnNode insn = facts.insns[i];
                if (!shape.blocks().get(a.blockOf(i))) {
                    continue;
                }
                if (insn instanceof VarInsnNode s && s.var == var && s.getOpcode() >= ISTORE && s.getOpcode() <= ASTORE) {
                    return false;
                }
                if (insn instanceof IincInsnNode inc && inc.var == var) {
                    if (found >= 0 || inc.incr != 1) {
                        return false;
                    }
                    found = i;
                }
            }
            if (found < 0 || a.inInnerLoop(a.blockOf(found), shape.header(), shape.blocks())) {
                return false;
            }
            for (int latch : a.latches(shape.header())) {
                if (!a.dominates(a.blockOf(found), latch)) {
                    return false;
                }
            }
            return true;
        }
    }
}
