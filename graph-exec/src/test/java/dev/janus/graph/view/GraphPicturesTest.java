package dev.janus.graph.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Node;
import dev.janus.graph.view.GraphView.Item;
import dev.janus.graph.view.GraphView.Kind;
import dev.janus.ops.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view model, its DOT text and JSON, and the SVG path: one box per node, clusters per subgraph, source lines. */
class GraphPicturesTest {
    private static final Tensor W = Tensor.randn(new Generator(1), DType.FLOAT64, 3, 3).requiresGrad(true);

    /** {@code relu(loop 4 times: h = tanh(W h + 0.5))}: one parameter, one constant trip count, one loop. */
    private static Graph loopGraph() {
        Map<Tensor, String> names = new IdentityHashMap<>();
        names.put(W, "W");
        return GraphCapture.captureAll(names, in -> {
            List<Tensor> h = ControlFlow.forLoop(Tensor.scalar(4, DType.INT64), List.of(in[0]),
                    (i, c) -> List.of(W.matmul(c.get(0)).add(0.5).tanh())); // @body
            return List.of(h.get(0).relu()); // @relu
        }, new TensorSpec(DType.FLOAT64, Shape.of(3, 2)));
    }

    private static int lineOf(String marker) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/janus/graph/view/GraphPicturesTest.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("); // " + marker)) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no line marked " + marker);
    }

    private static int countNodes(Graph g) {
        int n = 0;
        for (Node node : g.nodes()) {
            n++;
            for (Graph sub : node.subgraphs()) {
                n += countNodes(sub);
            }
        }
        return n;
    }

    private static long count(GraphView v, Kind kind) {
        return v.items().stream().filter(i -> i.kind() == kind).count();
    }

    private static Item op(GraphView v, String op) {
        return v.items().stream().filter(i -> i.op().equals(op)).findFirst().orElseThrow(() -> new AssertionError("no " + op));
    }

    @Test
    void view_loopGraph_oneItemPerNodeAndTheBodyInTheLoopCluster() throws IOException {
        Graph g = loopGraph();
        GraphView v = GraphView.of(g, "loop");
        assertEquals(countNodes(g), count(v, Kind.OP));
        assertEquals(1, count(v, Kind.PARAMETER));
        assertEquals(1, count(v, Kind.OUTPUT));
        assertEquals(1, v.clusters().size());
        GraphView.Cluster body = v.clusters().get(0);
        assertEquals("loop", body.op());
        assertEquals("loop body", body.label());
        assertEquals(op(v, "loop").id(), body.owner());
        for (String inside : List.of("matmul", "tanh")) {
            assertEquals(body.id(), op(v, inside).cluster(), inside + " belongs to the loop body");
        }
        assertEquals(null, op(v, "relu").cluster());
        assertEquals("GraphPicturesTest.java:" + lineOf("@body"), op(v, "tanh").source());
        assertEquals("GraphPicturesTest.java:" + lineOf("@relu"), op(v, "relu").source());
        assertTrue(op(v, "relu").method().startsWith(GraphPicturesTest.class.getName() + "."), op(v, "relu").method());
        assertTrue(v.edges().stream().anyMatch(e -> e.result() && e.to().equals(body.owner())), "the body's result edge");
        assertEquals(List.of("%W"), op(v, "matmul").inputs().subList(0, 1));
    }

    @Test
    void dot_loopGraph_hasAClusterAndALabelledBoxPerNode() throws IOException {
        Graph g = loopGraph();
        String dot = GraphPictures.dot(g, "loop");
        assertTrue(dot.startsWith("digraph \"loop\" {"), dot);
        assertEquals(1, occurrences(dot, "subgraph cluster_"), dot);
        assertTrue(dot.contains("label=\"loop body\""), dot);
        assertTrue(dot.contains("\"relu\\nf64[3, 2]\\nGraphPicturesTest.java:" + lineOf("@relu") + "\""), dot);
        assertTrue(dot.contains("[label=\"%W:f64[3, 3]\", shape=note]"), dot);
        assertTrue(dot.contains("style=dashed"), dot);
        Matcher boxes = Pattern.compile("(?m)^\\s*n\\d+ \\[label=").matcher(dot);
        int n = 0;
        while (boxes.find()) {
            n++;
        }
        assertEquals(countNodes(g), n, dot);
    }

    @Test
    void json_loopGraph_namesEveryItemWithItsClusterAndEscapesHtml() {
        GraphView v = GraphView.of(loopGraph(), "a</script>");
        String json = ViewJson.of(v);
        assertTrue(json.startsWith("{\"title\": \"a\\u003c/script\\u003e\""), json);
        assertEquals(countNodes(loopGraph()), occurrences(json, "\"kind\": \"op\""), json);
        assertTrue(json.contains("\"op\": \"loop\", \"owner\": \"n"), json);
        assertEquals(v.items().stream().filter(i -> i.cluster() != null).count(), occurrences(json, "\"cluster\": \"c"), json);
        assertTrue(v.items().stream().filter(i -> i.cluster() != null).count() >= 3, "the body's inputs, matmul and tanh");
    }

    @Test
    void html_loopGraph_embedsTheJsonInTheTemplate() {
        String html = GraphPictures.html(loopGraph(), "rnn & co");
        assertTrue(html.contains("<title>rnn &amp; co</title>"), html.substring(0, 300));
        assertTrue(html.contains("<script type=\"application/json\" id=\"graph-data\">{\"title\": \"rnn \\u0026 co\""));
        assertFalse(html.contains("__JANUS_"), "every placeholder is filled");
        assertFalse(Pattern.compile("(src|href)\\s*=|@import|https:").matcher(html).find(), "nothing to load");
        assertEquals(occurrences(html, "http"), occurrences(html, "http://www.w3.org/2000/svg"), "only the SVG namespace");
    }

    @Test
    void format_unknownExtension_failsNamingTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> GraphPictures.Format.of(Path.of("model.png")));
        assertTrue(e.getMessage().contains(".html") && e.getMessage().contains(".svg"), e.getMessage());
        assertEquals(GraphPictures.Format.HTML, GraphPictures.Format.of(Path.of("x/Model.HTML")));
    }

    @Test
    void svg_withoutGraphviz_failsSuggestingHtml(@TempDir Path emptyDir) {
        var e = assertThrows(IllegalStateException.class, () -> GraphvizSvg.render("digraph g {}", emptyDir.toString()));
        assertTrue(e.getMessage().contains("'dot'") && e.getMessage().contains(".html"), e.getMessage());
    }

    @Test
    void svg_withGraphviz_drawsTheClusterAndEveryNode(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(GraphPictures.graphvizAvailable(),
                "Graphviz's dot is not on the PATH (apt-get install graphviz); the SVG path cannot run");
        Graph g = loopGraph();
        Path out = dir.resolve("loop.svg");
        assertEquals(GraphPictures.Format.SVG, GraphPictures.write(g, "loop", out));
        String svg = Files.readString(out);
        assertTrue(svg.contains("<svg"), svg);
        assertEquals(1, occurrences(svg, "class=\"cluster\""), svg);
        assertEquals(GraphView.of(g).items().size(), occurrences(svg, "class=\"node\""), "every node and value");
        assertTrue(svg.contains("loop body"), svg);
    }

    private static int occurrences(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
