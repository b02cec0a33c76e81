package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * A conditional jump on a symbolic condition that is not a loop test: both sides are interpreted, each up to
 * the point where all paths meet again (the branch block's immediate post-dominator, or the method's end
 * when both sides return), and recorded as the two subgraphs of an {@code if} node. The values that differ
 * there — locals assigned on either side and live afterwards, values left on the operand stack (a
 * {@code c ? a : b}), or the returned value — become the node's outputs; tensors stay tensors and numbers
 * become 0-d tensors.
 *
 * <pre>{@code
 * if (x.sum().item() > 0) y = x.exp(); else y = x.neg();      // %4:f32[3] = if(%3)  then: exp  else: neg
 * }</pre>
 */
final class SymbolicIf {
    private SymbolicIf() {}

    static Outcome branch(Activation act, Frame<TraceValue> f, JumpInsnNode j, int p, Condition c, Outcome.Region region) {
        MethodAnalysis a = act.facts.analysis();
        int target = act.facts.index(j.label);
        SymbolicLoop.Shape loop = SymbolicLoop.shape(a, a.blockOf(p), target, p + 1);
        if (loop != null) {
            return SymbolicLoop.record(act, f, j, p, c, loop, region);
        }
        if (!act.enterBranch(p)) {
            throw act.error("a data-dependent exit from a loop (a break or return under a condition on tensor values)",
                    "a loop recorded into the graph ends only by its condition; compute the condition as a tensor and "
                            + "make it the loop's condition");
        }
        try {
            return record(act, f, j, p, c, region, a, target);
        } finally {
            act.exitBranch(p);
            act.pc = p;
        }
    }

    private static Outcome record(Activation act, Frame<TraceValue> f, JumpInsnNode j, int p, Condition c,
            Outcome.Region region, MethodAnalysis a, int target) {
        int b = a.blockOf(p);
        int mergeBlock = a.immediatePostDominator(b);
        if (region.blocks() != null && (mergeBlock == MethodAnalysis.EXIT || !region.blocks().get(mergeBlock))) {
            throw act.error("a break or return under a data-dependent condition inside " + region.what(), "a loop "
                    + "recorded into the graph ends only by its condition; fold this condition into it");
        }
        int merge = mergeBlock == MethodAnalysis.EXIT ? -1 : a.start(mergeBlock);
        Frame<TraceValue> base = new Frame<>(f);
        act.execute(base, j); // pops the operands
        BitSet assigned = a.assignedIn(a.regionBetween(b, mergeBlock));
        BitSet live = merge < 0 ? new BitSet() : a.liveAt(mergeBlock);
        BitSet dead = (BitSet) assigned.clone();
        dead.andNot(live);
        assigned.and(live);
        Sides sides = new Sides(act, base, assigned, new Outcome.Region(merge, region.blocks(), region.what()), p);
        Tensor cond = c.tensor(false); // the fall-through side is the source's then block
        List<Tensor> outs;
        try {
            outs = ControlFlow.ifThenElse(cond, () -> sides.run(p + 1, true), () -> sides.run(target, false));
        } catch (IllegalArgumentException e) {
            act.pc = p;
            throw act.error("a data-dependent if that cannot be recorded", e.getMessage(), e);
        }
        return sides.merged(outs, dead);
    }

    /** The two sides of one data-dependent if: what each ends with, and the merge of the two. */
    private static final class Sides {
        private final Activation act;
        private final Frame<TraceValue> base;
        private final BitSet locals;
        private final Outcome.Region region;
        private final int branchPc;
        /** What differs after the branch: locals (var index), then stack positions (-1 - depth), or the return. */
        private final List<Integer> slots = new ArrayList<>();
        private char[] kinds;
        private List<TraceValue> first;

        Sides(Activation act, Frame<TraceValue> base, BitSet locals, Outcome.Region region, int branchPc) {
            this.act = act;
            this.base = base;
            this.locals = locals;
            this.region = region;
            this.branchPc = branchPc;
        }

        List<Tensor> run(int start, boolean isFirst) {
            act.session.enterSymbolicRegion(null);
            try {
                Outcome o = act.run(new Frame<>(base), start, region);
                List<TraceValue> values = valuesAtMerge(o, isFirst);
                if (isFirst) {
                    first = values;
                    kinds = new char[values.size()];
                    for (int k = 0; k < kinds.length; k++) {
                        kinds[k] = Values.kindOf(values.get(k));
                    }
                }
                return outputs(values);
            } finally {
                act.session.exitSymbolicRegion();
            }
        }

        private List<TraceValue> valuesAtMerge(Outcome o, boolean isFirst) {
            List<TraceValue> values = new ArrayList<>();
            if (o instanceof Outcome.Returned r) {
                if (r.value() != null) {
                    values.add(r.value());
                }
                return values;
            }
            Frame<TraceValue> end = ((Outcome.Reached) o).frame();
            if (isFirst) {
                locals.stream().forEach(slots::add);
                for (int s = base.getStackSize(); s < end.getStackSize(); s++) {
                    slots.add(-1 - s);
                }
            }
            for (int slot : slots) {
                values.add((slot >= 0 ? end.getLocal(slot) : end.getStack(-1 - slot)).resolved());
            }
            return values;
        }

        private List<Tensor> outputs(List<TraceValue> values) {
            List<Tensor> outs = new ArrayList<>();
            for (int k = 0; k < values.size(); k++) {
                TraceValue v = values.get(k);
                char kind = Values.kindOf(v);
                boolean fits = kinds[k] == 0 ? Values.same(v, first.get(k))
                        : kind == kinds[k] || (kind != 0 && kind != Values.TENSOR && kinds[k] != Values.TENSOR);
                if (!fits) {
                    act.pc = branchPc;
                    throw act.error("a data-dependent if after which " + slotName(k) + " holds " + Values.describe(first.get(k))
                            + " on one side and " + Values.describe(v) + " on the other", "only tensors and numbers can "
                                    + "be chosen when the graph runs; give the variable a value of the same kind on both sides");
                }
                if (kinds[k] != 0) {
                    outs.add(Values.asTensor(v, kinds[k]));
                }
            }
            return outs;
        }

        private String slotName(int k) {
            if (slots.isEmpty()) {
                return "the returned value";
            }
            int slot = slots.get(k);
            return slot >= 0 ? "local variable " + act.facts.localName(slot, branchPc) : "the operand stack";
        }

        Outcome merged(List<Tensor> outs, BitSet dead) {
            List<TraceValue> values = new ArrayList<>();
            for (int k = 0, o = 0; k < kinds.length; k++) {
                values.add(kinds[k] == 0 ? first.get(k) : Values.fromTensor(outs.get(o++), kinds[k]));
            }
            if (region.stop() < 0) {
                return new Outcome.Returned(values.isEmpty() ? null : values.get(0));
            }
            Frame<TraceValue> m = new Frame<>(base);
            dead.stream().forEach(v -> m.setLocal(v, TraceValue.Empty.INSTANCE));
            for (int k = 0; k < slots.size(); k++) {
                if (slots.get(k) >= 0) {
                    m.setLocal(slots.get(k), values.get(k));
                } else {
                    m.push(values.get(k));
                }
            }
            return new Outcome.Reached(region.stop(), m);
        }
    }
}
