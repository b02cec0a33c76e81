package dev.janus.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.graph.Node;
import dev.janus.graph.passes.PassManager;
import dev.janus.ops.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading model archives: the loaded graph is the saved one, and it computes the same. */
class ModelArchiveTest {
    @TempDir
    Path dir;

    private LoadedModel roundTrip(Graph g, String name) throws IOException {
        Path file = dir.resolve(name + ".janus");
        ModelArchive.save(GraphFunction.of(g, name), file);
        return ModelArchive.load(file);
    }

    private static void assertSameOutputs(Graph original, LoadedModel loaded, Tensor... inputs) {
        Tensor[] expected = new CompiledGraph(original).run(inputs);
        Tensor[] actual = loaded.run(inputs);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].shape(), actual[i].shape());
            assertArrayEquals(expected[i].toFloatArray(), actual[i].toFloatArray(), "output " + i + " (bitwise)");
        }
    }

    @Test
    void mlp_saveLoad_sameIrTextAndBitwiseSameOutputs() throws IOException {
        ArchiveModels.Example m = ArchiveModels.mlp(1);
        LoadedModel loaded = roundTrip(m.graph(), "mlp");
        assertEquals(m.graph().toString(), loaded.graph().toString());
        assertSameOutputs(m.graph(), loaded, m.inputs());
        assertSameOutputs(m.graph(), loaded, Tensor.randn(new Generator(5), 9, 6)); // another batch size
    }

    @Test
    void cnn_saveLoad_sameOutputsForAnyBatch() throws IOException {
        ArchiveModels.Example m = ArchiveModels.smallCnn(2);
        LoadedModel loaded = roundTrip(m.graph(), "cnn");
        assertEquals(m.graph().toString(), loaded.graph().toString());
        assertSameOutputs(m.graph(), loaded, m.inputs());
        assertSameOutputs(m.graph(), loaded, Tensor.randn(new Generator(6), 5, 1, 8, 8));
    }

    @Test
    void seedRnnLoop_saveLoad_oneArchiveServesEveryTripCount() throws IOException {
        ArchiveModels.Example m = ArchiveModels.seedRnn(3, 5);
        assertTrue(m.graph().nodes().stream().anyMatch(n -> n.op() == Op.LOOP));
        LoadedModel loaded = roundTrip(m.graph(), "rnn");
        assertEquals(m.graph().toString(), loaded.graph().toString());
        Tensor h0 = m.inputs()[0];
        for (long steps : new long[] {0, 1, 5, 17}) {
            Tensor trips = Tensor.scalar(steps, DType.INT64);
            assertSameOutputs(m.graph(), loaded, h0, trips);
            assertArrayEquals(ArchiveModels.eagerRnn(m.graph(), h0, steps).toFloatArray(),
                    loaded.run(h0, trips)[0].toFloatArray(), 1e-6f, "T = " + steps);
        }
    }

    @Test
    void ifThenElseAndScan_saveLoad_subgraphsRoundTrip() throws IOException {
        Tensor w = Tensor.randn(new Generator(4), 3, 3);
        Graph g = GraphCapture.captureAll(Map.of(w, "w"), in -> {
            List<Tensor> branch = ControlFlow.ifThenElse(in[0].sum().gt(0.0),
                    () -> List.of(in[0].matmul(w).exp()), () -> List.of(in[0].neg()));
            List<Tensor> scan = ControlFlow.loop(Tensor.scalar(3L, DType.INT64), null, List.of(branch.get(0)),
                    (i, c) -> new ControlFlow.LoopStep(null, List.of(c.get(0).mul(0.5)), List.of(c.get(0).sum())));
            return List.of(scan.get(0), scan.get(1));
        }, InputSpec.of(DType.FLOAT32, 2, 3));
        LoadedModel loaded = roundTrip(g, "branchy");
        assertEquals(g.toString(), loaded.graph().toString());
        assertSameOutputs(g, loaded, Tensor.randn(new Generator(8), 2, 3));
        assertSameOutputs(g, loaded, Tensor.randn(new Generator(8), 2, 3).neg());
    }

    @Test
    void fusedGraph_saveLoad_kernelSubgraphsRoundTrip() throws IOException {
        ArchiveModels.Example m = ArchiveModels.mlp(9);
        Graph optimized = PassManager.forExecution().apply(m.graph());
        assertTrue(optimized.nodes().stream().anyMatch(n -> n.op() == Op.FUSED), optimized.toString());
        LoadedModel loaded = roundTrip(optimized, "fused");
        assertEquals(optimized.toString(), loaded.graph().toString());
        assertSameOutputs(optimized, loaded, m.inputs());
    }

    @Test
    void signatureAndNamedRun_useInputAndOutputNames() throws IOException {
        ArchiveModels.Example m = ArchiveModels.seedRnn(3, 4);
        LoadedModel loaded = roundTrip(m.graph(), "rnn");
        Signature s = loaded.signature();
        assertEquals("(h0:f32[4, 2], T:i64[]) -> (output0:f32[4, 2])", s.toString());
        Map<String, Tensor> out = loaded.run(Map.of("T", m.inputs()[1], "h0", m.inputs()[0]));
        assertEquals(List.of("output0"), new ArrayList<>(out.keySet()));
        assertArrayEquals(loaded.run(m.inputs())[0].toFloatArray(), out.get("output0").toFloatArray());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> loaded.run(Map.of("h0", m.inputs()[0])));
        assertTrue(missing.getMessage().contains("input 'T' is missing"), missing.getMessage());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> loaded.run(Tensor.randn(new Generator(1), 4, 3), m.inputs()[1]));
        assertTrue(wrong.getMessage().contains("input 'h0' must be h0:f32[4, 2]"), wrong.getMessage());
        Signature cnn = roundTrip(ArchiveModels.smallCnn(1).graph(), "cnn").signature();
        assertEquals("(x:f32[?, 1, 8, 8]) -> (output0:f32[?, 3])", cnn.toString());
    }

    @Test
    void meta_recordsVersionsFunctionAndTime() throws IOException {
        Path file = dir.resolve("m.janus");
        ModelArchive.save(GraphFunction.of(ArchiveModels.mlp(1).graph(), "predict"), file);
        ArchiveInfo info = ModelArchive.info(file);
        assertEquals("1.0", info.formatVersion());
        assertEquals(ModelArchive.OPSET_VERSION, info.opsetVersion());
        assertEquals("predict", info.function());
        assertNotEquals("unknown", info.janusVersion());
        assertFalse(info.created().isAfter(java.time.Instant.now()));
        assertEquals(info, ModelArchive.load(file).info());
    }

    @Test
    void archive_holdsThreeEntries_weightsKeyedByParameterName() throws IOException {
        Path file = dir.resolve("m.janus");
        ModelArchive.save(GraphFunction.of(ArchiveModels.mlp(1).graph(), "forward"), file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertEquals(List.of("meta.json", "graph.json", "weights.safetensors"), names);
            assertEquals(ZipEntry.STORED, zip.getEntry("weights.safetensors").getMethod());
            Path weights = dir.resolve("w.safetensors");
            Files.write(weights, zip.getInputStream(zip.getEntry("weights.safetensors")).readAllBytes());
            assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"),
                    new ArrayList<>(Safetensors.load(weights).keySet()));
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
    }

    @Test
    void loadedModel_savedAgain_isTheSameModel() throws IOException {
        ArchiveModels.Example m = ArchiveModels.smallCnn(4);
        LoadedModel once = roundTrip(m.graph(), "cnn");
        Path again = dir.resolve("again.janus");
        ModelArchive.save(once, again);
        LoadedModel twice = ModelArchive.load(again);
        assertEquals(m.graph().toString(), twice.graph().toString());
        assertSameOutputs(m.graph(), twice, m.inputs());
    }

    @Test
    void save_invalidGraph_refusedBeforeWriting() {
        ArchiveModels.Example m = ArchiveModels.mlp(1);
        Graph g = m.graph();
        Node first = g.nodes().get(0);
        Graph broken = new Graph(g.inputs(), g.parameters(), g.constants(), g.nodes().subList(1, g.nodes().size()),
                g.outputs());
        Path file = dir.resolve("broken.janus");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelArchive.save(GraphFunction.of(broken, "f"), file));
        assertTrue(e.getMessage().contains("cannot save an invalid graph"), e.getMessage());
        assertFalse(Files.exists(file));
        assertTrue(first.op() != null);
    }
}
