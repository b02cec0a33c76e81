package dev.janus.graph;

import static dev.janus.graph.ControlFlowExecutorTest.f64;
import static dev.janus.graph.ControlFlowExecutorTest.i64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.passes.EliminateDeadCode;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimization passes on graphs with IF and LOOP nodes: still valid, same results. */
class ControlFlowPassesTest {
    private static long count(Graph g, Op op) {
        return g.nodes().stream().filter(n -> n.op() == op).count();
    }

    @Test
    void eliminateDeadCode_valueReadOnlyInsideLoopBody_isKept() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            Tensor shift = in[0].exp(); // read only by the body
            return ControlFlow.forLoop(i64(2), List.of(in[0]), (i, c) -> List.of(c.get(0).add(shift)));
        }, f64(2));
        Graph after = new EliminateDeadCode().apply(g);
        assertEquals(1, count(after, Op.EXP));
        Tensor x = Tensor.of(new double[] {0, 1});
        assertArrayEquals(new Executor(g).run(x)[0].toDoubleArray(), new Executor(after).run(x)[0].toDoubleArray(), 0.0);
    }

    @Test
    void eliminateDeadCode_deadCodeInBranch_isRemovedWithTheOuterValueOnlyItRead() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            Tensor onlyForDeadCode = in[0].sin();
            return ControlFlow.ifThenElse(in[0].sum().gt(0.0), () -> {
                onlyForDeadCode.mul(3.0); // result unused
                return List.of(in[0].exp());
            }, () -> List.of(in[0]));
        }, f64(2));
        Graph after = new EliminateDeadCode().apply(g);
        after.verify();
        assertEquals(0, count(after, Op.SIN));
        Node ifNode = after.nodes().get(after.nodes().size() - 1);
        assertEquals(List.of(Op.EXP), ifNode.subgraphs().get(0).nodes().stream().map(Node::op).toList());
    }

    @Test
    void defaultPipeline_onGraphWithIfAndLoop_verifiesAndKeepsResults() {
        Tensor w = Tensor.randn(new Generator(3), DType.FLOAT64, 3, 3).requiresGrad(true);
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            Tensor two = Tensor.scalar(1, DType.FLOAT64).add(Tensor.scalar(1, DType.FLOAT64)); // folds
            Tensor a = in[0].mul(two).add(0.0);
            Tensor b = in[0].mul(two); // same as a: merged
            List<Tensor> loop = ControlFlow.loop(in[1], null, List.of(a), (i, c) -> {
                Tensor h = c.get(0).matmul(w).tanh().mul(1.0).add(b);
                return new ControlFlow.LoopStep(null, List.of(h), List.of(h.sum()));
            });
            List<Tensor> branch = ControlFlow.ifThenElse(loop.get(0).sum().gt(0.0),
                    () -> List.of(loop.get(0).exp().add(b)), () -> List.of(b.neg()));
            return List.of(branch.get(0), loop.get(1));
        }, f64(2, 3), ControlFlowExecutorTest.I64);
        Graph optimized = PassManager.defaultPipeline().apply(g);
        optimized.verify();
        assertTrue(optimized.nodes().size() < g.nodes().size(), "the passes still optimize around control nodes");
        for (long t : new long[] {0, 1, 5}) {
            Tensor x = Tensor.randn(new Generator(t), DType.FLOAT64, 2, 3);
            Tensor[] before = new Executor(g).run(x, i64(t));
            Tensor[] after = new Executor(optimized).run(x, i64(t));
            for (int k = 0; k < before.length; k++) {
                assertArrayEquals(before[k].toDoubleArray(), after[k].toDoubleArray(), 1e-12, "T=" + t + " output " + k);
            }
        }
    }

    @Test
    void forExecution_elementwiseAfterALoopWithTwoCarriedValues_fusesAroundIt() {
        Graph g = GraphCapture.captureAll(Map.of(), in -> {
            List<Tensor> out = ControlFlow.forLoop(in[1], List.of(in[0], in[0].sum()),
                    (i, c) -> List.of(c.get(0).mul(0.5), c.get(1).add(1.0)));
            return List.of(out.get(0).exp().add(out.get(1)));
        }, f64(3), ControlFlowExecutorTest.I64);
        Graph optimized = PassManager.forExecution().apply(g);
        optimized.verify();
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        assertArrayEquals(new Executor(g).run(x, i64(2))[0].toDoubleArray(),
                new Executor(optimized).run(x, i64(2))[0].toDoubleArray(), 1e-12);
    }
}
