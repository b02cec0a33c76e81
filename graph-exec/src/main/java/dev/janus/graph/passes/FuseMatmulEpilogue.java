package dev.janus.graph.passes;

import dev.janus.graph.Graph;

/**
 * GEMM epilogue fusion: a rank-2 matmul followed by elementwise ops on its product (the bias add and the
 * activation of a linear layer) becomes one {@code fused} node whose kernel starts with the matmul. The
 * backend runs the GEMM into the output buffer and applies the epilogue in place while the product is still
 * in cache, instead of writing and re-reading it once per op.
 *
 * <pre>
 * before:
 *   %2:f32[64, 512] = matmul(%x, %fc1.weight) {transA=false, transB=true}   # Net.java:18
 *   %4:f32[64, 512] = add(%2, %fc1.bias)   # Net.java:18
 *   %5:f32[64, 512] = relu(%4)   # Net.java:19
 * after:
 *   %5:f32[64, 512] = fused(%x, %fc1.weight, %fc1.bias)   # Net.java:19
 *       kernel: graph(%6:f32[64, 784], %7:f32[512, 784], %8:f32[512]) -> (%9)
 *         %2:f32[64, 512] = matmul(%6, %7) {transA=false, transB=true}   # Net.java:18
 *         %4:f32[64, 512] = add(%2, %8)   # Net.java:18
 *         %9:f32[64, 512] = relu(%4)   # Net.java:19
 *         return %9
 * </pre>
 *
 * <p>Run it before {@link FuseElementwise}, which would otherwise take the epilogue without its matmul.
 * Convolutions already take their bias as an input; a conv epilogue is not fused yet.
 */
public final class FuseMatmulEpilogue implements Pass {
    @Override
    public boolean appliesInsideSubgraphs() {
        return true;
    }

    @Override
    public Graph apply(Graph graph) {
        return FusionGroups.fuse(graph, true);
    }
}
