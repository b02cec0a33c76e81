package dev.janus.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.passes.EliminateCommonSubexpressions;
import dev.janus.graph.passes.FoldConstants;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.AttrType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Custom ops in graphs: recorded as one node, kept whole by every pass, run by both executors, differentiated. */
class CustomOpGraphTest {
    static final CustomOp SWISH = swish("graph.swish");
    /** The same function under another name: equal attributes must not make the two one node. */
    static final CustomOp SWISH_TWIN = swish("graph.swishTwin");

    private static CustomOp swish(String name) {
        return CustomOp.define(name)
                .attr("beta", AttrType.FLOAT)
                .shape((in, a) -> in[0])
                .cpu((in, out, a) -> {
                    for (int i = 0; i < out.numel(); i++) {
                        double x = in[0].get(i);
                        out.set(i, x / (1 + Math.exp(-a.d("beta") * x)));
                    }
                })
                .vjp((ctx, g) -> {
                    Tensor bx = ctx.input(0).mul(ctx.attrs().d("beta"));
                    Tensor s = bx.sigmoid();
                    return new Tensor[] {g.mul(s.add(bx.mul(s).mul(s.rsub(1.0))))};
                })
                .register();
    }

    private static final Attrs BETA = Attrs.of("beta", 1.5);

    private static TensorSpec f32(long... dims) {
        return new TensorSpec(DType.FLOAT32, Shape.of(dims));
    }

    /** Every node of {@code g}, inside subgraphs too, as "op" or "fused>op" for a fused kernel's members. */
    private static List<String> allOps(Graph g, String prefix) {
        List<String> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            out.add(prefix + n.op().opName());
            for (Graph sub : n.subgraphs()) {
                out.addAll(allOps(sub, prefix + n.op().opName() + ">"));
            }
        }
        return out;
    }

    private static long count(Graph g, Op op) {
        return g.nodes().stream().filter(n -> n.op() == op).count();
    }

    @Test
    void capture_recordsOneCustomNode_withNameAttrsAndSourceLine() {
        Graph g = GraphCapture.capture(in -> SWISH.apply(in[0], BETA), f32(3));
        Node n = g.nodes().get(0);
        assertEquals(Op.CUSTOM, n.op());
        assertEquals(Attrs.of("op", "graph.swish", "beta", 1.5), n.attrs());
        assertTrue(n.toString().startsWith("%1:f32[3] = custom(%x) {op=graph.swish, beta=1.5}   # CustomOpGraphTest.java:"),
                n.toString());
        g.verify();
    }

    @Test
    void fusion_betweenElementwiseOps_keepsCustomNodeOnItsOwn_andCompiledMatchesExecutor() {
        Graph g = GraphCapture.capture(in -> SWISH.apply(in[0].mul(2.0).exp(), BETA).add(1.0).tanh(), f32(4, 8));
        Graph opt = PassManager.forExecution().apply(g);
        assertEquals(List.of("fused", "fused>mul", "fused>exp", "custom", "fused", "fused>add", "fused>tanh"),
                allOps(opt, ""), opt.toString());
        Tensor x = Tensor.randn(new Generator(7), 4, 8);
        Tensor expected = new Executor(g).run(x)[0];
        Tensor compiled = new CompiledGraph(opt).run(x)[0];
        assertArrayEquals(expected.toFloatArray(), compiled.toFloatArray(), 0f);
        assertArrayEquals(expected.toFloatArray(), SWISH.apply(x.mul(2.0).exp(), BETA).add(1.0).tanh().toFloatArray(), 0f);
    }

    @Test
    void matmulEpilogue_stopsAtTheCustomNode() {
        Graph g = GraphCapture.capture(in -> SWISH.apply(in[0].matmul(in[1]), BETA).add(in[2]).relu(),
                f32(3, 4), f32(4, 5), f32(5));
        Graph opt = PassManager.forExecution().apply(g);
        assertEquals(1, count(opt, Op.CUSTOM), opt.toString());
        assertTrue(allOps(opt, "").stream().noneMatch(s -> s.contains(">custom")), opt.toString());
        Tensor[] in = {Tensor.randn(new Generator(1), 3, 4), Tensor.randn(new Generator(2), 4, 5),
                Tensor.randn(new Generator(3), 5)};
        assertArrayEquals(new Executor(g).run(in)[0].toFloatArray(), new CompiledGraph(opt).run(in)[0].toFloatArray(), 0f);
    }

    @Test
    void cse_mergesOnlyEqualNameAndAttrs() {
        Graph g = GraphCapture.capture(in -> SWISH.apply(in[0], BETA).add(SWISH.apply(in[0], BETA))
                .add(SWISH.apply(in[0], Attrs.of("beta", 2.0))).add(SWISH_TWIN.apply(in[0], BETA)), f32(6));
        assertEquals(4, count(g, Op.CUSTOM));
        Graph cse = new EliminateCommonSubexpressions().apply(g);
        assertEquals(3, count(cse, Op.CUSTOM), cse.toString());
        Tensor x = Tensor.randn(new Generator(4), 6);
        assertArrayEquals(new Executor(g).run(x)[0].toFloatArray(), new Executor(cse).run(x)[0].toFloatArray(), 0f);
    }

    @Test
    void foldConstants_leavesCustomNodesToRun() {
        Tensor c = Tensor.of(new float[] {-1, 0, 2});
        Graph g = GraphCapture.capture(in -> in[0].add(SWISH.apply(c, BETA)), f32(3));
        Graph folded = new FoldConstants().apply(g);
        assertEquals(1, count(folded, Op.CUSTOM), folded.toString());
        Tensor x = Tensor.ones(3);
        assertArrayEquals(x.add(SWISH.apply(c, BETA)).toFloatArray(), new CompiledGraph(folded).run(x)[0].toFloatArray(), 0f);
    }

    @Test
    void autodiff_usesTheRegisteredVjp_likeEagerBackward() {
        Graph g = GraphCapture.capture(in -> SWISH.apply(in[0], BETA).mul(in[0]).sum(),
                new TensorSpec(DType.FLOAT64, Shape.of(5)));
        Graph withGrads = Autodiff.gradients(g, 0, List.of(g.inputs().get(0)));
        Tensor x = Tensor.randn(new Generator(9), DType.FLOAT64, 5);
        Tensor[] out = new Executor(withGrads).run(x);
        Tensor leaf = x.detach().requiresGrad(true);
        SWISH.apply(leaf, BETA).mul(leaf).sum().backward();
        assertArrayEquals(leaf.grad().toDoubleArray(), out[1].toDoubleArray(), 1e-12);
        assertTrue(withGrads.nodes().stream().filter(n -> n.op() == Op.CUSTOM).count() == 1, "the forward node, once");
    }
}
