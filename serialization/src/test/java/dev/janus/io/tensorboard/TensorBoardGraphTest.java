package dev.janus.io.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.graph.Node;
import dev.janus.io.tensorboard.EventFileReader.Event;
import dev.janus.io.tensorboard.EventFileReader.NodeDef;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphs written as GraphDef and decoded by the independent reader: node names, ops, inputs, shapes, scopes. */
class TensorBoardGraphTest {
    @TempDir
    Path dir;

    private List<NodeDef> writeAndRead(Graph g) throws IOException {
        Path file;
        try (SummaryWriter w = new SummaryWriter(dir)) {
            w.addGraph(GraphFunction.of(g, "forward"));
            file = w.file();
        }
        List<Event> events = EventFileReader.readEvents(file);
        assertEquals(2, events.size());
        assertNotNull(events.get(1).graphDef(), "the second event carries graph_def");
        return EventFileReader.graphDef(events.get(1).graphDef());
    }

    private static Map<String, NodeDef> byName(List<NodeDef> nodes) {
        return nodes.stream().collect(Collectors.toMap(NodeDef::name, n -> n));
    }

    @Test
    void addGraph_linearLayer_nodesNamedByOpAndValueWithInputs() throws IOException {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Graph g = GraphCapture.captureAll(Map.of(w, "fc.weight"), in -> List.of(in[0].matmul(w).relu()),
                InputSpec.of(DType.FLOAT32, 4, 3).dynamic(0).named("x"));
        Node matmul = g.nodes().get(0);
        Node relu = g.nodes().get(1);
        assertEquals(Op.MATMUL, matmul.op());
        String matmulName = "matmul_" + matmul.output().id();
        String reluName = "relu_" + relu.output().id();

        Map<String, NodeDef> nodes = byName(writeAndRead(g));
        assertEquals(5, nodes.size(), nodes.keySet().toString());
        assertEquals("input", nodes.get("x").op());
        assertEquals("param", nodes.get("fc/weight").op(), "parameter paths become scopes");
        assertEquals("matmul", nodes.get(matmulName).op());
        assertEquals(List.of("x", "fc/weight"), nodes.get(matmulName).inputs());
        assertEquals("relu", nodes.get(reluName).op());
        assertEquals(List.of(matmulName), nodes.get(reluName).inputs());
        assertEquals(List.of(reluName), nodes.get("output_0").inputs());

        NodeDef mm = nodes.get(matmulName);
        assertEquals(List.of(List.of(-1L, 2L)), EventFileReader.listOfShapes(mm.attrs().get("_output_shapes")),
                "dynamic batch dim as -1");
        assertEquals(List.of(List.of(3L, 2L)), EventFileReader.listOfShapes(nodes.get("fc/weight").attrs().get("_output_shapes")));
        assertEquals(1, EventFileReader.attrType(mm.attrs().get("T")), "DT_FLOAT");
        assertTrue(EventFileReader.attrString(mm.attrs().get("_source")).startsWith("TensorBoardGraphTest.java:"));
        assertTrue(mm.attrs().containsKey("transB"), "Janus attributes are kept: " + mm.attrs().keySet());
    }

    @Test
    void addGraph_loop_bodyNodesScopedUnderTheLoopNode() throws IOException {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.loop(in[1], null, List.of(in[0]), (i, c) -> {
            Tensor h = c.get(0).neg();
            return new ControlFlow.LoopStep(null, List.of(h), List.of(h));
        }), new TensorSpec(DType.FLOAT64, Shape.of(2)), new TensorSpec(DType.INT64, Shape.scalar()));
        Node loop = g.nodes().get(0);
        assertEquals(Op.LOOP, loop.op());
        Graph body = loop.subgraphs().get(0);
        String loopName = "loop_" + loop.outputs().get(0).id();
        String scope = loopName + "/body/";
        String negName = scope + "neg_" + body.nodes().get(0).output().id();

        Map<String, NodeDef> nodes = byName(writeAndRead(g));
        NodeDef neg = nodes.get(negName);
        assertNotNull(neg, "body node under " + scope + ": " + nodes.keySet());
        assertEquals("neg", neg.op());
        String carriedIn = scope + "input_" + body.inputs().get(2).id();
        assertEquals(List.of(carriedIn), neg.inputs());
        assertEquals("input", nodes.get(carriedIn).op());

        NodeDef loopNode = nodes.get(loopName);
        assertEquals("loop", loopNode.op());
        List<String> data = loopNode.inputs().stream().filter(s -> !s.startsWith("^")).toList();
        List<String> control = loopNode.inputs().stream().filter(s -> s.startsWith("^")).toList();
        assertEquals(3, data.size(), "trip count, condition, carried: " + data);
        assertEquals("x1", data.get(0));
        assertEquals("x0", data.get(2));
        assertTrue(control.contains("^" + negName), "the body's outputs feed the loop node: " + control);
        assertEquals(List.of(List.of(2L), List.of(-1L, 2L)), EventFileReader.listOfShapes(loopNode.attrs().get("_output_shapes")));
        assertEquals(List.of(loopName), nodes.get("output_0").inputs());
        assertEquals(List.of(loopName + ":1"), nodes.get("output_1").inputs(), "second output referenced as node:1");
        long scoped = nodes.keySet().stream().filter(n -> n.startsWith(scope)).count();
        assertEquals(body.inputs().size() + body.nodes().size(), scoped, "every body node is in the scope");
    }

    @Test
    void addGraph_ifThenElse_branchesScopedAsThenAndElse() throws IOException {
        Graph g = GraphCapture.captureAll(Map.of(), in -> ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                () -> List.of(in[0].exp()), () -> List.of(in[0].neg())), new TensorSpec(DType.FLOAT64, Shape.of(3)));
        Node ifNode = g.nodes().get(g.nodes().size() - 1);
        assertEquals(Op.IF, ifNode.op());
        String ifName = "if_" + ifNode.output().id();
        String thenExp = ifName + "/then/exp_" + ifNode.subgraphs().get(0).nodes().get(0).output().id();
        String elseNeg = ifName + "/else/neg_" + ifNode.subgraphs().get(1).nodes().get(0).output().id();

        Map<String, NodeDef> nodes = byName(writeAndRead(g));
        assertEquals(List.of("x"), nodes.get(thenExp).inputs(), "a branch reads the enclosing value directly");
        assertEquals(List.of("x"), nodes.get(elseNeg).inputs());
        assertTrue(nodes.get(ifName).inputs().containsAll(List.of("^" + thenExp, "^" + elseNeg)), nodes.get(ifName).inputs().toString());
    }
}
