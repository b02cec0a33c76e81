package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.lines;
import static dev.janus.graph.passes.PassTesting.ops;
import static dev.janus.graph.passes.PassTesting.withoutLocations;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Node;
import dev.janus.ops.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimplifyAlgebraTest {
    private final Pass simplify = new SimplifyAlgebra();

    /** The simplified graph, checked against the original on random inputs (within {@code tol}). */
    private Graph simplified(Graph before, double tol) {
        Graph after = simplify.apply(before);
        after.verify();
        assertSameResults(before, after, tol);
        return after;
    }

    @Test
    void apply_javadocExample_matchesItsGoldenText() {
        Graph before = GraphCapture.capture(in -> in[0].t().t().mul(1.0).matmul(in[1].t()), f32(2, 3), f32(4, 3));
        assertEquals(lines(
                "graph(%x0:f32[2, 3], %x1:f32[4, 3]) -> (%7)",
                "  const %4:f32[] = 1.0",
                "  %2:f32[3, 2] = permute(%x0) {perm=[1, 0]}",
                "  %3:f32[2, 3] = permute(%2) {perm=[1, 0]}",
                "  %5:f32[2, 3] = mul(%3, %4)",
                "  %6:f32[3, 4] = permute(%x1) {perm=[1, 0]}",
                "  %7:f32[2, 4] = matmul(%5, %6) {transA=false, transB=false}",
                "  return %7"), withoutLocations(before));
        Graph after = simplified(before, 1e-6);
        assertEquals(lines(
                "graph(%x0:f32[2, 3], %x1:f32[4, 3]) -> (%7)",
                "  const %4:f32[] = 1.0",
                "  %2:f32[3, 2] = permute(%x0) {perm=[1, 0]}",
                "  %6:f32[3, 4] = permute(%x1) {perm=[1, 0]}",
                "  %7:f32[2, 4] = matmul(%x0, %x1) {transA=false, transB=true}",
                "  return %7"), withoutLocations(after));
        assertEquals(before.nodes().get(4).location(), after.nodes().get(2).location());
    }

    @Test
    void apply_identityArithmetic_isRemoved() {
        Graph before = GraphCapture.capture(in -> in[0].mul(1.0).add(0.0).sub(0.0).div(1.0).relu(), f32(2, 3));
        Graph after = simplified(before, 0);
        assertEquals(lines(
                "graph(%x:f32[2, 3]) -> (%9)",
                "  const %1:f32[] = 1.0",
                "  const %3:f32[] = 0.0",
                "  const %5:f32[] = 0.0",
                "  const %7:f32[] = 1.0",
                "  %9:f32[2, 3] = relu(%x)",
                "  return %9"), withoutLocations(after));
    }

    @Test
    void apply_identityOnTheLeft_isRemovedForAddAndMulOnly() {
        Graph before = GraphCapture.capture(in -> Tensor.ones(3).mul(in[0]).add(Tensor.zeros(3).add(in[0]))
                .add(Tensor.zeros(3).sub(in[0])).add(Tensor.ones(3).div(in[0])), f32(3));
        Graph after = simplified(before, 0);
        assertEquals(List.of("add", "sub", "add", "div", "add"), ops(after));
    }

    @Test
    void apply_oneThatBroadcastsX_isKept() {
        Graph before = GraphCapture.capture(in -> in[0].mul(Tensor.ones(2, 3)).add(in[0].mul(Tensor.ones(3))), f32(3));
        Graph after = simplified(before, 0);
        assertEquals(List.of("mul", "add"), ops(after));
        assertEquals(Shape.of(2, 3), after.nodes().get(0).output().spec().shape());
    }

    @Test
    void apply_notAllOnes_isKept() {
        Graph before = GraphCapture.capture(in -> in[0].mul(Tensor.of(new float[] {1, 1, 2})).sub(1.0), f32(3));
        assertEquals(ops(before), ops(simplified(before, 0)));
    }

    @Test
    void apply_integerIdentity_isRemoved() {
        TensorSpec i64 = new TensorSpec(DType.INT64, Shape.of(4));
        Graph before = GraphCapture.capture(in -> in[0].mul(1L).add(0L).neg(), i64);
        assertEquals(List.of("neg"), ops(simplified(before, 0)));
    }

    @Test
    void apply_doubleNegation_cancels() {
        Graph before = GraphCapture.capture(in -> in[0].neg().neg().neg().neg().exp(), f32(3));
        Graph after = simplified(before, 0);
        // neg(neg(x)) → x twice; the first and third negs are left unused for EliminateDeadCode.
        assertEquals(List.of("neg", "neg", "exp"), ops(after));
        assertEquals(after.inputs().get(0), after.nodes().get(2).inputs().get(0));
        assertEquals(List.of("exp"), ops(new EliminateDeadCode().apply(after)));
    }

    @Test
    void apply_permuteChain_composesOrCancels() {
        Graph before = GraphCapture.captureAll(java.util.Map.of(), in -> List.of(
                in[0].permute(1, 2, 0).permute(2, 0, 1).exp(),
                in[0].permute(1, 0, 2).permute(0, 2, 1)), f32(2, 3, 4));
        Graph after = simplified(before, 0);
        assertEquals(List.of("permute", "exp", "permute", "permute"), ops(after));
        Node exp = after.nodes().get(1);
        assertEquals(after.inputs().get(0), exp.inputs().get(0));
        Node composed = after.nodes().get(3);
        assertEquals("permute(%x) {perm=[1, 2, 0]}", withoutRef(composed));
    }

    private static String withoutRef(Node n) {
        String s = n.toString();
        return s.substring(s.indexOf("= ") + 2, s.indexOf("   #"));
    }

    @Test
    void apply_reshapeChain_mergesOrCancels() {
        Graph before = GraphCapture.captureAll(java.util.Map.of(), in -> List.of(
                in[0].reshape(3, 4).reshape(4, 3).exp(),
                in[0].unsqueeze(0).squeeze(0).sin()), f32(2, 6));
        Graph after = simplified(before, 0);
        assertEquals(List.of("reshape", "reshape", "exp", "reshape", "sin"), ops(after));
        assertEquals("reshape(%x) {shape=[4, 3]}", withoutRef(after.nodes().get(1)));
        assertEquals(after.inputs().get(0), after.nodes().get(4).inputs().get(0));
    }

    @Test
    void apply_castToItsOwnDtype_isRemoved_castRoundTripIsKept() {
        Graph before = GraphCapture.capture(in -> in[0].copy().exp().add(in[0].cast(DType.FLOAT64).cast(DType.FLOAT32)),
                f32(3));
        Graph after = simplified(before, 0);
        assertEquals(List.of("exp", "cast", "cast", "add"), ops(after));
    }

    @Test
    void apply_transposedMatmulOperands_becomeFlags() {
        Graph before = GraphCapture.capture(in -> in[0].t().matmul(in[1].t()), f32(3, 2), f32(4, 3));
        Graph after = simplified(before, 1e-5);
        Node mm = after.nodes().get(after.nodes().size() - 1);
        assertEquals("matmul(%x0, %x1) {transA=true, transB=true}", withoutRef(mm));
    }

    @Test
    void apply_batchedTranspose_becomesAFlag_otherPermutesDoNot() {
        Graph before = GraphCapture.capture(in -> in[0].transpose(-1, -2).matmul(in[1].permute(1, 0, 2)),
                f32(2, 4, 3), f32(4, 2, 5));
        Graph after = simplified(before, 1e-5);
        Node mm = after.nodes().get(after.nodes().size() - 1);
        assertEquals("matmul(%x0, %3) {transA=true, transB=false}", withoutRef(mm));
    }

    @Test
    void apply_transposeOfAlreadyTransposedOperand_clearsTheFlag() {
        Graph before = GraphCapture.capture(in -> in[0].matmul(in[1].t(), false, true), f32(2, 3), f32(3, 4));
        Graph after = simplified(before, 1e-5);
        assertEquals("matmul(%x0, %x1) {transA=false, transB=false}", withoutRef(after.nodes().get(1)));
    }
}
