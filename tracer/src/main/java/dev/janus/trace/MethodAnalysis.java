package dev.janus.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The control-flow facts the tracer needs at a data-dependent branch: basic blocks, dominators and
 * post-dominators (where the two sides of an {@code if} meet again), natural loops (back edges), and which
 * local variables are live at a block's start and assigned inside a set of blocks. Exception edges are left
 * out: the tracer refuses data-dependent code inside try blocks.
 */
final class MethodAnalysis {
    /** The virtual block every return and throw leads to, as a post-dominator: "the method's end". */
    static final int EXIT = -1;

    private final MethodFacts facts;
    private final int[] blockOf;
    private final int[] start;
    private final int[] end;
    private final int[][] succ;
    private final boolean[] exits;
    private final BitSet[] dom;
    private final BitSet[] pdom;
    private final BitSet[] liveIn;
    private final BitSet[] loops;

    MethodAnalysis(MethodFacts facts) {
        this.facts = facts;
        AbstractInsnNode[] insns = facts.insns;
        BitSet leaders = leaders(insns);
        int n = leaders.cardinality();
        blockOf = new int[insns.length];
        start = new int[n];
        end = new int[n];
        for (int b = 0, i = leaders.nextSetBit(0); i >= 0; b++, i = leaders.nextSetBit(i + 1)) {
            start[b] = i;
            int next = leaders.nextSetBit(i + 1);
            end[b] = next < 0 ? insns.length : next;
            for (int k = i; k < end[b]; k++) {
                blockOf[k] = b;
            }
        }
        succ = new int[n][];
        exits = new boolean[n];
        for (int b = 0; b < n; b++) {
            succ[b] = successors(b);
        }
        dom = dominators();
        pdom = postDominators();
        liveIn = liveness();
        loops = naturalLoops();
    }

    private BitSet leaders(AbstractInsnNode[] insns) {
        BitSet l = new BitSet(insns.length);
        l.set(0);
        for (int i = 0; i < insns.length; i++) {
            for (LabelNode target : targets(insns[i])) {
                l.set(facts.index(target));
            }
            if (isTerminator(insns[i]) && i + 1 < insns.length) {
                l.set(i + 1);
            }
        }
        for (TryCatchBlockNode t : facts.method.tryCatchBlocks) {
            l.set(facts.index(t.handler));
        }
        return l;
    }

    private static List<LabelNode> targets(AbstractInsnNode insn) {
        if (insn instanceof JumpInsnNode j) {
            return List.of(j.label);
        } else if (insn instanceof TableSwitchInsnNode t) {
            List<LabelNode> all = new ArrayList<>(t.labels);
            all.add(t.dflt);
            return all;
        } else if (insn instanceof LookupSwitchInsnNode t) {
            List<LabelNode> all = new ArrayList<>(t.labels);
            all.add(t.dflt);
            return all;
        }
        return List.of();
    }

    private static boolean isTerminator(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return insn instanceof JumpInsnNode || insn instanceof TableSwitchInsnNode || insn instanceof LookupSwitchInsnNode
                || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW;
    }

    private int[] successors(int b) {
        AbstractInsnNode last = lastInstruction(b);
        int op = last == null ? -1 : last.getOpcode();
        if ((op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW) {
            exits[b] = true;
            return new int[0];
        }
        List<Integer> out = new ArrayList<>();
        for (LabelNode t : last == null ? List.<LabelNode>of() : targets(last)) {
            out.add(blockOf[facts.index(t)]);
        }
        boolean fallsThrough = last == null || !(last instanceof TableSwitchInsnNode || last instanceof LookupSwitchInsnNode
                || op == Opcodes.GOTO);
        if (fallsThrough && end[b] < facts.insns.length) {
            out.add(0, b + 1);
        }
        return out.stream().distinct().mapToInt(Integer::intValue).toArray();
    }

    private AbstractInsnNode lastInstruction(int b) {
        for (int i = end[b] - 1; i >= start[b]; i--) {
            if (facts.insns[i].getOpcode() >= 0) {
                return facts.insns[i];
            }
        }
        return null;
    }

    private int blocks() {
        return start.length;
    }

    private List<List<Integer>> predecessors() {
        List<List<Integer>> preds = new ArrayList<>();
        for (int b = 0; b < blocks(); b++) {
            preds.add(new ArrayList<>());
        }
        for (int b = 0; b < blocks(); b++) {
            for (int s : succ[b]) {
                preds.get(s).add(b);
            }
        }
        return preds;
    }

    private BitSet[] dominators() {
        int n = blocks();
        List<List<Integer>> preds = predecessors();
        BitSet[] d = new BitSet[n];
        for (int b = 0; b < n; b++) {
            d[b] = new BitSet(n);
            if (b == 0) {
                d[b].set(0);
            } else {
                d[b].set(0, n);
            }
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = 1; b < n; b++) {
                BitSet next = intersection(preds.get(b), d, n);
                next.set(b);
                if (!next.equals(d[b])) {
                    d[b] = next;
                    changed = true;
                }
            }
        }
        return d;
    }

    /** Post-dominators over blocks 0..n-1 plus EXIT, stored at index n. */
    private BitSet[] postDominators() {
        int n = blocks();
        BitSet[] p = new BitSet[n + 1];
        p[n] = new BitSet(n + 1);
        p[n].set(n);
        for (int b = 0; b < n; b++) {
            p[b] = new BitSet(n + 1);
            p[b].set(0, n + 1);
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = n - 1; b >= 0; b--) {
                List<Integer> next = new ArrayList<>();
                for (int s : succ[b]) {
                    next.add(s);
                }
                if (exits[b]) {
                    next.add(n);
                }
                BitSet x = intersection(next, p, n + 1);
                x.set(b);
                if (!x.equals(p[b])) {
                    p[b] = x;
                    changed = true;
                }
            }
        }
        return p;
    }

    private static BitSet intersection(List<Integer> of, BitSet[] sets, int size) {
        BitSet x = new BitSet(size);
        if (of.isEmpty()) {
            x.set(0, size);
            return x;
        }
        x.or(sets[of.get(0)]);
        for (int k = 1; k < of.size(); k++) {
            x.and(sets[of.get(k)]);
        }
        return x;
    }

    private BitSet[] liveness() {
        int n = blocks();
        BitSet[] use = new BitSet[n];
        BitSet[] def = new BitSet[n];
        for (int b = 0; b < n; b++) {
            use[b] = new BitSet();
            def[b] = new BitSet();
            for (int i = end[b] - 1; i >= start[b]; i--) {
                AbstractInsnNode insn = facts.insns[i];
                if (insn instanceof VarInsnNode v && isStore(v.getOpcode())) {
                    def[b].set(v.var);
                    use[b].clear(v.var);
                } else if (insn instanceof VarInsnNode v) {
                    use[b].set(v.var);
                } else if (insn instanceof IincInsnNode inc) {
                    use[b].set(inc.var);
                }
            }
        }
        BitSet[] in = new BitSet[n];
        for (int b = 0; b < n; b++) {
            in[b] = (BitSet) use[b].clone();
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int b = n - 1; b >= 0; b--) {
                BitSet out = new BitSet();
                for (int s : succ[b]) {
                    out.or(in[s]);
                }
                out.andNot(def[b]);
                out.or(use[b]);
                if (!out.equals(in[b])) {
                    in[b] = out;
                    changed = true;
                }
            }
        }
        return in;
    }

    private static boolean isStore(int op) {
        return op >= Opcodes.ISTORE && op <= Opcodes.ASTORE;
    }

    /** For each block that heads a loop, the blocks of its natural loop (all back edges to it); else null. */
    private BitSet[] naturalLoops() {
        List<List<Integer>> preds = predecessors();
        BitSet[] l = new BitSet[blocks()];
        for (int u = 0; u < blocks(); u++) {
            for (int h : succ[u]) {
                if (dom[u].get(h)) {
                    l[h] = l[h] == null ? new BitSet() : l[h];
                    addLoopBody(l[h], h, u, preds);
                }
            }
        }
        return l;
    }

    private static void addLoopBody(BitSet body, int header, int latch, List<List<Integer>> preds) {
        body.set(header);
        Deque<Integer> work = new ArrayDeque<>();
        work.push(latch);
        while (!work.isEmpty()) {
            int b = work.pop();
            if (!body.get(b)) {
                body.set(b);
                preds.get(b).forEach(work::push);
            }
        }
    }

    // ---- queries ----

    int blockOf(int pc) {
        return blockOf[pc];
    }

    /** The first instruction index of block {@code b}. */
    int start(int b) {
        return start[b];
    }

    /** The blocks of the natural loop headed by {@code b}, or null when no back edge leads to it. */
    BitSet loopHeadedBy(int b) {
        return loops[b];
    }

    /** True when block {@code b} lies inside a loop headed by a block other than {@code header} and inside it. */
    boolean inInnerLoop(int b, int header, BitSet loop) {
        for (int h = 0; h < loops.length; h++) {
            if (h != header && loops[h] != null && loop.get(h) && loops[h].get(b)) {
                return true;
            }
        }
        return false;
    }

    /** True when block {@code a} dominates block {@code b}. */
    boolean dominates(int a, int b) {
        return dom[b].get(a);
    }

    /** The blocks that jump back to {@code header} (its loop's latches). */
    List<Integer> latches(int header) {
        List<Integer> out = new ArrayList<>();
        for (int u = 0; u < blocks(); u++) {
            for (int s : succ[u]) {
                if (s == header && dom[u].get(header)) {
                    out.add(u);
                }
            }
        }
        return out;
    }

    /** The block where every path from {@code b} meets again (its immediate post-dominator), or EXIT. */
    int immediatePostDominator(int b) {
        int n = blocks();
        int best = EXIT;
        int bestSize = -1;
        for (int s = pdom[b].nextSetBit(0); s >= 0 && s < n; s = pdom[b].nextSetBit(s + 1)) {
            if (s != b && pdom[s].cardinality() > bestSize) {
                best = s;
                bestSize = pdom[s].cardinality();
            }
        }
        return best;
    }

    /** Locals live at the start of block {@code b} (read before being written on some path from there). */
    BitSet liveAt(int b) {
        return (BitSet) liveIn[b].clone();
    }

    /** The blocks reachable from {@code b}'s successors without passing through block {@code stop} (or EXIT). */
    BitSet regionBetween(int b, int stop) {
        BitSet seen = new BitSet();
        Deque<Integer> work = new ArrayDeque<>();
        for (int s : succ[b]) {
            work.push(s);
        }
        while (!work.isEmpty()) {
            int x = work.pop();
            if (x != stop && !seen.get(x)) {
                seen.set(x);
                for (int s : succ[x]) {
                    work.push(s);
                }
            }
        }
        return seen;
    }

    /** The local variables that instructions in {@code blocks} assign (stores and increments). */
    BitSet assignedIn(BitSet blocks) {
        BitSet vars = new BitSet();
        for (int b = blocks.nextSetBit(0); b >= 0; b = blocks.nextSetBit(b + 1)) {
            for (int i = start[b]; i < end[b]; i++) {
                AbstractInsnNode insn = facts.insns[i];
                if (insn instanceof VarInsnNode v && isStore(v.getOpcode())) {
                    vars.set(v.var);
                } else if (insn instanceof IincInsnNode inc) {
                    vars.set(inc.var);
                }
            }
        }
        return vars;
    }

    /** The instructions of block {@code b} that do something (labels, line numbers and frames left out). */
    List<AbstractInsnNode> code(int b) {
        List<AbstractInsnNode> out = new ArrayList<>();
        for (int i = start[b]; i < end[b]; i++) {
            if (facts.insns[i].getOpcode() >= 0) {
                out.add(facts.insns[i]);
            }
        }
        return out;
    }
}
