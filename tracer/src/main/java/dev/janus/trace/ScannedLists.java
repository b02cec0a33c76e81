package dev.janus.trace;

import static org.objectweb.asm.Opcodes.INVOKESTATIC;

import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Concrete;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Lists that collect a tensor per iteration of a data-dependent loop: each becomes a scanned output of the
 * {@code loop} node (the values of all iterations stacked along a new first axis).
 *
 * <pre>{@code
 * List<Tensor> outs = new ArrayList<>();
 * for (int t = 0; t < T; t++) { h = cell(x.select(0, t), h); outs.add(h); }   // the loop scans h
 * return Tensor.stack(0, outs);                                             // [T, batch, hidden]
 * }</pre>
 *
 * <p>The list must be created by the traced code just outside the loop (in the code around it, not in an
 * enclosing loop body or branch), and the body appends one tensor to it per iteration, of the same type each
 * time. The Java list itself is left as it was; the tracer keeps its contents as stacked pieces: the
 * elements it had before the loop, then each loop's scan. Its length is known only when the graph runs, so
 * afterwards the list can only be passed to {@code Tensor.stack(axis, list)}, returned from the traced
 * method (the list of tensors is rebuilt from the stacked output), or filled by a further data-dependent loop.
 */
final class ScannedLists {
    private ScannedLists() {}

    /** The appends of one recorded loop body: the lists, in order of their first append, and the values. */
    static final class Collector {
        final List<Object> lists = new ArrayList<>();
        final List<Tensor> values = new ArrayList<>();
    }

    /** A library call that appends to a list in a loop body or uses a filled list: its result; null for others. */
    static TraceValue onCall(Activation act, MethodInsnNode insn, Object receiver, List<TraceValue> args) {
        Collector c = act.session.scanCollector();
        if (c != null && receiver instanceof List<?> && insn.name.equals("add") && insn.desc.equals("(Ljava/lang/Object;)Z")
                && act.session.createdJustOutsideCurrentRegion(receiver)) {
            return append(act, c, receiver, args.get(1));
        }
        for (TraceValue v : args) {
            if (v instanceof Concrete k && k.value() != null && act.session.scannedList(k.value()) != null) {
                return use(act, insn, k.value(), args);
            }
        }
        return null;
    }

    /** Refuses a constructor (a copy such as {@code new ArrayList<>(outs)}) given a list filled by a loop. */
    static void refuseCopy(Activation act, String what, List<TraceValue> args) {
        for (TraceValue v : args) {
            if (v instanceof Concrete k && k.value() != null && act.session.scannedList(k.value()) != null) {
                throw act.error(what + " of a list filled by a data-dependent loop", FIX);
            }
        }
    }

    private static final String FIX = "its length is known only when the graph runs: pass it to Tensor.stack(axis, "
            + "list) or return it from the traced method";

    private static TraceValue append(Activation act, Collector c, Object list, TraceValue v) {
        if (!(v instanceof Concrete k && k.value() instanceof Tensor t)) {
            throw act.error("an append of " + Values.describe(v) + " to a list in a data-dependent loop", "only tensors "
                    + "are collected per iteration; make the value a tensor (Tensor.scalar)");
        }
        for (Object o : c.lists) {
            if (o == list) {
                throw act.error("a second append to one list in an iteration of a data-dependent loop", "append once "
                        + "per iteration (Tensor.stack the iteration's values first)");
            }
        }
        c.lists.add(list);
        c.values.add(t);
        return Concrete.prim(1);
    }

    /** Records that the loop just recorded filled {@code c.lists} with {@code scans} (one output each). */
    static void afterLoop(Activation act, Collector c, List<Tensor> scans) {
        for (int k = 0; k < c.lists.size(); k++) {
            Object list = c.lists.get(k);
            Tensor scan = scans.get(k);
            List<Tensor> pieces = act.session.scannedList(list);
            if (pieces == null) {
                pieces = new ArrayList<>();
                List<?> before = (List<?>) list;
                if (!before.isEmpty()) {
                    pieces.add(stackElements(act, before));
                }
                act.session.setScannedList(list, pieces);
            }
            for (Tensor p : pieces) {
                if (p.dtype() != scan.dtype() || !elementShape(p).equals(elementShape(scan))) {
                    throw act.error("a list that holds " + p.dtype().shortName() + elementShape(p) + " tensors, to which a "
                            + "data-dependent loop appends " + scan.dtype().shortName() + elementShape(scan) + " tensors",
                            "a list that is stacked holds tensors of one type");
                }
            }
            pieces.add(scan);
        }
    }

    private static Tensor stackElements(Activation act, List<?> elements) {
        List<Tensor> ts = new ArrayList<>();
        for (Object o : elements) {
            if (!(o instanceof Tensor t)) {
                throw act.error("a list holding " + (o == null ? "null" : "a " + o.getClass().getSimpleName()) + ", to "
                        + "which a data-dependent loop appends tensors", "collect only tensors in it");
            }
            ts.add(t);
        }
        return Tensor.stack(0, ts);
    }

    private static Shape elementShape(Tensor stacked) {
        long[] dims = stacked.shape().dims();
        return Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
    }

    private static TraceValue use(Activation act, MethodInsnNode insn, Object list, List<TraceValue> args) {
        if (insn.getOpcode() == INVOKESTATIC && insn.owner.equals("dev/janus/Tensor") && insn.name.equals("stack")
                && insn.desc.equals("(ILjava/util/List;)Ldev/janus/Tensor;")) {
            int axis = (Integer) ((Concrete) args.get(0)).value();
            return Concrete.ref(stacked(act.session.scannedList(list), axis));
        }
        throw act.error("a call of " + insn.owner.substring(insn.owner.lastIndexOf('/') + 1) + "." + insn.name + " on a "
                + "list filled by a data-dependent loop", FIX);
    }

    /** {@code Tensor.stack(axis, list)} of a list made of {@code pieces}. */
    static Tensor stacked(List<Tensor> pieces, int axis) {
        Tensor all = pieces.size() == 1 ? pieces.get(0) : Tensor.cat(0, pieces);
        int a = Shape.normalizeAxis(axis, all.rank());
        if (a == 0) {
            return all;
        }
        int[] perm = new int[all.rank()];
        for (int j = 0; j < perm.length; j++) {
            perm[j] = j < a ? j + 1 : j == a ? 0 : j;
        }
        return all.permute(perm);
    }
}
