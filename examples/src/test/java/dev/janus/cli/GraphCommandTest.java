package dev.janus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.examples.models.LeNet;
import dev.janus.graph.view.GraphPictures;
import dev.janus.io.ModelArchive;
import dev.janus.trace.Tracer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code janus graph model.janus --out FILE} writes the archive's graph in the format the extension names. */
class GraphCommandTest {
    @TempDir
    Path dir;

    private Path lenetArchive() throws Exception {
        LeNet net = new LeNet();
        Path archive = dir.resolve("lenet.janus");
        ModelArchive.save(Tracer.trace(LeNet::forward, net, Tensor.randn(new Generator(1), 2, 1, 28, 28)), archive);
        return archive;
    }

    private static int run(String... args) {
        return new CommandLine(new JanusCli()).execute(args);
    }

    @Test
    void graph_toHtml_writesThePageWithTheArchivesNodesAndSourceLines() throws Exception {
        Path archive = lenetArchive();
        Path out = dir.resolve("pictures/lenet.html");
        assertEquals(0, run("graph", archive.toString(), "--out", out.toString()));
        String html = Files.readString(out);
        int nodes = ModelArchive.load(archive).graph().nodes().size();
        int ops = html.split("\"kind\": \"op\"", -1).length - 1;
        assertEquals(nodes, ops, "one JSON item per node");
        assertTrue(html.contains("\"source\": \"LeNet.java:"), "source lines survive the archive");
        assertTrue(html.contains("<title>forward (lenet.janus)</title>"), html.substring(0, 400));
    }

    @Test
    void graph_toDot_writesGraphvizText() throws Exception {
        Path out = dir.resolve("lenet.dot");
        assertEquals(0, run("graph", lenetArchive().toString(), "-o", out.toString(), "--title", "LeNet"));
        String dot = Files.readString(out);
        assertTrue(dot.startsWith("digraph \"LeNet\" {"), dot);
        assertTrue(dot.contains("conv2d\\n"), dot);
    }

    @Test
    void graph_toSvg_withGraphviz_writesSvg() throws Exception {
        Assumptions.assumeTrue(GraphPictures.graphvizAvailable(), "Graphviz's dot is not on the PATH (apt-get install "
                + "graphviz); the .svg output cannot be made");
        Path out = dir.resolve("lenet.svg");
        assertEquals(0, run("graph", lenetArchive().toString(), "--out", out.toString()));
        assertTrue(Files.readString(out).contains("<svg"));
    }

    @Test
    void graph_unknownExtension_failsNamingTheFormats() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, run("graph", dir.resolve("absent.janus").toString(), "--out", "x.png"));
        } finally {
            System.setErr(err);
        }
        String msg = buf.toString(StandardCharsets.UTF_8);
        assertTrue(msg.contains(".html") && msg.contains(".svg") && msg.contains(".dot"), msg);
    }
}
