package dev.janus.graph.passes;

import static dev.janus.graph.passes.PassTesting.assertSameResults;
import static dev.janus.graph.passes.PassTesting.f32;
import static dev.janus.graph.passes.PassTesting.ops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphRewriter;
import dev.janus.graph.Node;
import dev.janus.graph.Value;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphRewriterTest {
    private static Graph expSin() {
        return GraphCapture.capture(in -> in[0].exp().sin(), f32(2, 3));
    }

    @Test
    void fresh_valuesAreNumberedAboveTheSourceGraph() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        Value a = r.fresh(f32(1));
        Value b = r.fresh(f32(1));
        assertEquals(GraphRewriter.maxId(g) + 1, a.id());
        assertEquals(a.id() + 1, b.id());
        assertNull(a.name());
    }

    @Test
    void emit_unchangedNode_isReusedAndTheGraphKeepsItsText() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        for (Node n : g.nodes()) {
            assertSame(n, r.emit(n));
        }
        assertEquals(g.toString(), r.build().toString());
    }

    @Test
    void replace_afterEmit_insertsCodeOfAFreshTypeAfterTheNode() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        Node exp = r.emit(g.nodes().get(0));
        TensorSpec f64 = new TensorSpec(DType.FLOAT64, Shape.of(2, 3));
        Value wide = r.fresh(f64);
        r.emit(Op.CAST, Attrs.of("dtype", DType.FLOAT64), List.of(exp.output()), wide, exp.location());
        Value back = r.fresh(f32(2, 3));
        r.emit(Op.CAST, Attrs.of("dtype", DType.FLOAT32), List.of(wide), back, exp.location());
        r.replace(exp.output(), back);
        r.emit(g.nodes().get(1));
        Graph after = r.build();
        after.verify();
        assertEquals(List.of("exp", "cast", "cast", "sin"), ops(after));
        assertSame(back, after.nodes().get(3).inputs().get(0));
        assertSameResults(g, after, 0);
    }

    @Test
    void replace_valueOfAnotherType_isRejected() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.replace(g.nodes().get(0).output(), r.fresh(f32(3, 2))));
        assertTrue(e.getMessage().contains("types differ"), e.getMessage());
    }

    @Test
    void replace_byItself_isRejected() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        Value exp = g.nodes().get(0).output();
        assertThrows(IllegalArgumentException.class, () -> r.replace(exp, exp));
    }

    @Test
    void build_replacedOutput_readsTheReplacementInOrder() {
        Graph g = expSin();
        GraphRewriter r = new GraphRewriter(g);
        Node exp = r.emit(g.nodes().get(0));
        r.replace(g.nodes().get(1).output(), exp.output());
        Graph after = r.build();
        assertEquals(List.of(exp.output()), after.outputs());
        assertEquals(g.inputs(), after.inputs());
    }
}
