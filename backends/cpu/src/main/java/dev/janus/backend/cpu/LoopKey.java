package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.backend.cpu.BroadcastLayout.Access;
import dev.janus.ops.Op;
import dev.janus.spi.ElementwiseProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a generated loop's code depends on, and nothing else: the element type, how each input is
 * read, and each step's op and arguments. Sizes are not part of it (they are loop bounds), so programs of
 * the same structure at different sizes share one generated class. A {@link Op#MATMUL} step 0 stands for
 * "the product already in the output array".
 */
record LoopKey(DType dtype, List<Access> access, List<Op> ops, List<List<Integer>> args) {

    static LoopKey of(ElementwiseProgram p, BroadcastLayout layout) {
        List<Op> ops = new ArrayList<>();
        List<List<Integer>> args = new ArrayList<>();
        for (ElementwiseProgram.Step s : p.steps()) {
            ops.add(s.op());
            List<Integer> a = new ArrayList<>();
            for (int v : s.args()) {
                a.add(v);
            }
            args.add(List.copyOf(a));
        }
        return new LoopKey(p.dtype(), layout.access(), List.copyOf(ops), List.copyOf(args));
    }

    /** Whether a ROW input makes the loop work on scratch rows (see {@link LoopGenerator}). */
    boolean staged() {
        return access.contains(Access.ROW);
    }

    /** Whether step 0 is a matmul whose product the loop reads back from the output. */
    boolean readsOut() {
        return ops.get(0) == Op.MATMUL;
    }

    int inputs() {
        return access.size();
    }

    int steps() {
        return ops.size();
    }
}
