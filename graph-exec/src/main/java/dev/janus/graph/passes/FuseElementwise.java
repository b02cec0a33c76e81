package dev.janus.graph.passes;

import dev.janus.graph.Graph;

/**
 * Turns chains of float elementwise ops into one {@code fused} node whose kernel subgraph the executor hands
 * to the backend to compile into a single loop (the CPU backend generates it with ASM, and HotSpot unrolls
 * and vectorizes it): one pass over memory instead of one per op, and no intermediate buffers.
 *
 * <pre>
 * before:
 *   %3:f32[64, 512] = mul(%x, %2)   # Net.java:20
 *   %5:f32[64, 512] = add(%3, %4)   # Net.java:20
 *   %6:f32[64, 512] = tanh(%5)   # Net.java:21
 *   return %6
 * after:
 *   %6:f32[64, 512] = fused(%x, %2, %4)   # Net.java:21
 *       kernel: graph(%7:f32[64, 512], %8:f32[], %9:f32[512]) -> (%10)
 *         %3:f32[64, 512] = mul(%7, %8)   # Net.java:20
 *         %5:f32[64, 512] = add(%3, %9)   # Net.java:20
 *         %10:f32[64, 512] = tanh(%5)   # Net.java:21
 *         return %10
 *   return %6
 * </pre>
 *
 * <p>Every member computes the group's type (inputs may broadcast into it); a member's value is read only
 * inside the group, so the group has one output. Groups of one node are left alone.
 */
public final class FuseElementwise implements Pass {
    @Override
    public boolean appliesInsideSubgraphs() {
        return true;
    }

    @Override
    public Graph apply(Graph graph) {
        return FusionGroups.fuse(graph, false);
    }
}
