package dev.janus.backend.cpu;

import dev.janus.ops.Op;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles {@link ElementwiseProgram}s into {@link FusedElementwiseKernel}s. The loop code is generated once
 * per {@link LoopKey} — program structure and broadcast pattern, not sizes — and defined as a hidden class
 * in this package, so it calls {@link SpecialFunctions} directly and HotSpot inlines those calls into the loop.
 *
 * <pre>{@code FusedKernel k = ElementwiseCompiler.compile(program); k.run(inputs, out);}</pre>
 */
final class ElementwiseCompiler {
    /**
     * Longer chains are declined. NOTE: each step is ~10–20 bytes of bytecode and HotSpot does not JIT-compile
     * methods over 8000 bytes, so a much longer fused loop would run interpreted, far slower than unfused.
     */
    static final int MAX_STEPS = 256;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ConcurrentHashMap<LoopKey, ElementwiseLoop> LOOPS = new ConcurrentHashMap<>();

    private ElementwiseCompiler() {}

    /** The fused kernel, or null when the CPU backend does not fuse this program (see {@link ElementwiseProgram#isFloatArithmetic()}). */
    static FusedKernel compile(ElementwiseProgram p) {
        if (!p.isFloatArithmetic() || p.steps().size() > MAX_STEPS || !fitsArrays(p)) {
            return null;
        }
        List<long[]> shapes = new ArrayList<>();
        p.inputShapes().forEach(s -> shapes.add(s.dims()));
        BroadcastLayout layout = BroadcastLayout.of(p.outShape().dims(), shapes, readByLoop(p));
        LoopKey key = LoopKey.of(p, layout);
        ElementwiseLoop loop = LOOPS.computeIfAbsent(key, ElementwiseCompiler::define);
        return new FusedElementwiseKernel(p, layout, loop, key.staged());
    }

    private static boolean fitsArrays(ElementwiseProgram p) {
        long max = Integer.MAX_VALUE - 8;
        return p.outShape().numel() <= max && p.inputShapes().stream().allMatch(s -> s.numel() <= max);
    }

    /** Which inputs the loop reads: all but those only the matmul step uses. */
    private static boolean[] readByLoop(ElementwiseProgram p) {
        boolean[] used = new boolean[p.numInputs()];
        for (ElementwiseProgram.Step s : p.steps()) {
            for (int i = 0; i < s.arity() && s.op() != Op.MATMUL; i++) {
                if (s.arg(i) < used.length) {
                    used[s.arg(i)] = true;
                }
            }
        }
        return used;
    }

    private static ElementwiseLoop define(LoopKey key) {
        byte[] bytes = LoopGenerator.generate(key);
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            return (ElementwiseLoop) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("could not define the fused loop for " + key, t);
        }
    }
}
