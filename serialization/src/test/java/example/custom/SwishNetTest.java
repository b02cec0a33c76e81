package example.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.graph.Node;
import dev.janus.io.ModelArchive;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/custom-ops.md's walk-through, end to end: eager, gradient, traced, compiled, saved and loaded. */
class SwishNetTest {
    @TempDir
    Path dir;

    @Test
    void walkthrough_eager_matchesReferenceLoop() {
        Janus.manualSeed(3);
        SwishNet net = new SwishNet();
        Tensor x = Tensor.randn(new Generator(4), 5, 8);
        float[] pre = net.fc.forward(x).toFloatArray();
        float[] y = net.forward(x).toFloatArray();
        for (int i = 0; i < pre.length; i++) {
            assertEquals((float) Math.tanh((float) (pre[i] / (1 + Math.exp(-1.5 * pre[i])))), y[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void walkthrough_vjp_float64_matchesFiniteDifferences() {
        GradCheck.check(in -> SwishNet.SWISH_BETA.apply(in[0], Attrs.of("beta", 1.5)),
                Tensor.randn(new Generator(6), DType.FLOAT64, 4, 3));
    }

    @Test
    void walkthrough_traced_isOneCustomNodeWithItsLine_andEqualsEager_andSurvivesAnArchive() throws Exception {
        Janus.manualSeed(5);
        SwishNet net = new SwishNet();
        Tensor x = Tensor.randn(new Generator(7), 3, 8);
        TracedFunction<Tensor> traced = Tracer.trace(SwishNet::forward, net, x);
        List<Node> custom = traced.graph().nodes().stream().filter(n -> n.op() == Op.CUSTOM).toList();
        assertEquals(1, custom.size(), traced.graph().toString());
        String node = "%5:f32[3, 4] = custom(%4) {op=my.swish, beta=1.5}   # SwishNet.java:" + lineOf("return SWISH_BETA.apply(");
        assertEquals(node, custom.get(0).toString());
        assertTrue(Files.readString(doc()).contains(node), "docs/custom-ops.md shows the node as " + node);
        assertEquals("SwishNet.java", custom.get(0).location().file());
        assertEquals(lineOf("return SWISH_BETA.apply("), custom.get(0).location().line());

        Tensor eager;
        try (var off = Janus.noGrad()) {
            eager = net.forward(x);
        }
        Tensor x2 = Tensor.randn(new Generator(8), 3, 8);
        assertArrayEquals(eager.toFloatArray(), traced.call(x).toFloatArray(), 0f);
        assertArrayEquals(net.forward(x2).toFloatArray(), traced.call(x2).toFloatArray(), 0f);
        assertTrue(traced.verifyAgainstEager(x).agrees(), traced.verifyAgainstEager(x).toString());

        Path file = dir.resolve("swish.janus");
        ModelArchive.save(traced, file);
        assertArrayEquals(eager.toFloatArray(), ModelArchive.load(file).run(x)[0].toFloatArray(), 0f);
    }

    @Test
    void docs_showTheWalkthroughVerbatim() throws Exception {
        String doc = Files.readString(doc(), StandardCharsets.UTF_8);
        String code = walkthrough();
        assertTrue(doc.contains(code), "docs/custom-ops.md must contain SwishNet.java's walk-through verbatim:\n" + code);
        long lines = code.lines().filter(l -> !l.isBlank() && !l.startsWith("import ")).count();
        assertTrue(lines < 40, "the walk-through's user code has " + lines + " lines");
    }

    /** The lines of SwishNet.java between its BEGIN and END markers. */
    static String walkthrough() throws Exception {
        List<String> lines = Files.readAllLines(source());
        int from = 0;
        int to = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("// BEGIN")) {
                from = i + 1;
            } else if (lines.get(i).startsWith("// END")) {
                to = i;
            }
        }
        return String.join("\n", lines.subList(from, to)) + "\n";
    }

    private static int lineOf(String text) throws Exception {
        List<String> lines = Files.readAllLines(source());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in SwishNet.java");
    }

    private static Path doc() {
        return Path.of("..", "docs", "custom-ops.md");
    }

    private static Path source() {
        return Path.of("src", "test", "java", "example", "custom", "SwishNet.java");
    }
}
