package dev.janus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.graph.Graph;
import dev.janus.graph.Node;
import dev.janus.graph.view.GraphPictures;
import dev.janus.graph.view.GraphView;
import dev.janus.nn.Module;
import dev.janus.trace.TraceOptions;
import dev.janus.trace.Tracer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML graph view in a real browser (Debian's headless chromium): after its script ran, the page holds one
 * SVG node group per graph node, with its op, and a box per subgraph. Skipped when chromium is not installed.
 */
class GraphViewBrowserTest {
    private static final Pattern NODE = Pattern.compile("<g class=\"node(?: selected)?\" data-kind=\"([a-z]+)\" data-op=\"([^\"]+)\"");

    /** The seed recurrence {@code h = tanh(W h + b)}, {@code steps} times: traced with a dynamic count, a loop. */
    static final class SeedRnn extends Module {
        final Tensor w;
        final Tensor b;

        SeedRnn() {
            Generator g = new Generator(0);
            w = registerParameter("W", Tensor.randn(g, 16, 16).mul(0.25));
            b = registerParameter("b", Tensor.randn(g, 16, 1).mul(0.1));
        }

        @Override
        public Tensor forward(Tensor h) {
            return forward(h, 1);
        }

        Tensor forward(Tensor h, int steps) {
            for (int t = 0; t < steps; t++) {
                h = w.matmul(h).add(b).tanh();
            }
            return h;
        }
    }

    private static Path chromium() {
        var exe = HeadlessChromium.find();
        Assumptions.assumeTrue(exe.isPresent(), "chromium is not installed (apt-get install chromium); the HTML graph "
                + "view cannot be checked in a browser");
        return exe.get();
    }

    /** How many nodes of each op the graph has, subgraphs included. */
    private static Map<String, Integer> opCounts(Graph g, Map<String, Integer> into) {
        for (Node n : g.nodes()) {
            into.merge(n.op().opName(), 1, Integer::sum);
            n.subgraphs().forEach(sub -> opCounts(sub, into));
        }
        return into;
    }

    /** Renders {@code g}, loads it in chromium, and checks one node group per node (by op) and per value. */
    private static String assertDrawn(Graph g, String title, Path dir) throws Exception {
        Path page = dir.resolve(title + ".html");
        GraphPictures.write(g, title, page);
        String dom = HeadlessChromium.dumpDom(chromium(), page, dir);
        Map<String, Integer> drawnOps = new HashMap<>();
        int drawn = 0;
        Matcher m = NODE.matcher(dom);
        while (m.find()) {
            drawn++;
            if (m.group(1).equals("op")) {
                drawnOps.merge(m.group(2), 1, Integer::sum);
            }
        }
        assertEquals(opCounts(g, new HashMap<>()), drawnOps, "one node group per graph node, by op");
        assertEquals(GraphView.of(g, title).items().size(), drawn, "one group per node, input, parameter, constant and output");
        assertFalse(dom.contains("NaN"), "every position is a number");
        assertTrue(dom.contains("translate("), "nodes are placed");
        return dom;
    }

    @Test
    void lenet_htmlInChromium_drawsEveryNodeAndNoCluster(@TempDir Path dir) throws Exception {
        LeNet net = new LeNet();
        Tensor x = Tensor.randn(new Generator(1), 2, 1, 28, 28);
        Graph g = Tracer.trace(LeNet::forward, net, x).graph();
        String dom = assertDrawn(g, "lenet", dir);
        assertTrue(dom.contains("data-op=\"conv2d\""), "the convolutions");
        assertFalse(dom.contains("<g class=\"cluster\""), "LeNet has no subgraphs");
        assertTrue(dom.contains("LeNet.java:"), "source lines are shown");
    }

    @Test
    void seedRnnLoop_htmlInChromium_drawsTheLoopBodyAsACluster(@TempDir Path dir) throws Exception {
        SeedRnn rnn = new SeedRnn();
        Tensor h = Tensor.randn(new Generator(2), 16, 4);
        Graph g = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), SeedRnn::forward, rnn, h, 3).graph();
        String dom = assertDrawn(g, "rnn", dir);
        assertEquals(1, count(dom, "<g class=\"cluster\" data-op=\"loop\""), "the loop body's box");
        assertTrue(dom.contains(">loop body</text>"), "the box is labelled");
        assertTrue(Files.size(dir.resolve("rnn.html")) > 0);
    }

    @Test
    void clickOnANode_showsItsOpTypeSourceLineAndInputs(@TempDir Path dir) throws Exception {
        SeedRnn rnn = new SeedRnn();
        Graph g = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), SeedRnn::forward, rnn,
                Tensor.randn(new Generator(2), 16, 4), 3).graph();
        GraphView.Item tanh = GraphView.of(g).items().stream().filter(i -> i.op().equals("tanh")).findFirst().orElseThrow();
        Path page = dir.resolve("rnn.html");
        GraphPictures.write(g, "rnn", page);
        String dom = HeadlessChromium.dumpDom(chromium(), page.toUri() + "#node=" + tanh.id(), dir);
        String details = dom.substring(dom.indexOf("<div id=\"details\">"));
        details = details.substring(0, details.indexOf("</div>"));
        assertTrue(details.contains("<h3>tanh</h3>"), details);
        assertTrue(details.contains("<td>source</td><td>" + tanh.source() + "</td>"), details);
        assertTrue(tanh.source().startsWith("GraphViewBrowserTest.java:"), tanh.source());
        assertTrue(details.contains("<td>inputs</td><td>" + String.join(", ", tanh.inputs()) + "</td>"), details);
        assertTrue(details.contains("<td>inside</td><td>loop body</td>"), details);
        assertTrue(dom.contains("<g class=\"node selected\" data-kind=\"op\" data-op=\"tanh\" data-id=\"" + tanh.id()
                + "\""), "the clicked node is marked");
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
