package example.custom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.io.ModelArchive;
import dev.janus.io.ModelFormatException;
import dev.janus.io.Onnx;
import dev.janus.ops.AttrType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How archives and ONNX export treat custom ops: by registered name, and refused when it is unknown. */
class CustomOpArchiveTest {
    @TempDir
    Path dir;

    /** A model applying a custom op held in a field (so a test can register and drop its own op). */
    static final class Scaled {
        final CustomOp op;

        Scaled(CustomOp op) {
            this.op = op;
        }

        Tensor forward(Tensor x) {
            return op.apply(x.exp(), Attrs.of("k", 3L)).neg();
        }
    }

    private static CustomOp scale(String name) {
        return CustomOp.define(name)
                .attr("k", AttrType.LONG)
                .shape((in, a) -> in[0])
                .cpu((in, out, a) -> {
                    for (int i = 0; i < out.numel(); i++) {
                        out.set(i, in[0].get(i) * a.l("k"));
                    }
                })
                .vjp((ctx, g) -> new Tensor[] {g.mul((double) ctx.attrs().l("k"))})
                .register();
    }

    @Test
    void save_writesOpCustomWithTheNameAttribute_andLoadRunsIt() throws Exception {
        Scaled m = new Scaled(scale("archive.scale"));
        Tensor x = Tensor.randn(new Generator(2), 2, 3);
        TracedFunction<Tensor> traced = Tracer.trace(Scaled::forward, m, x);
        Path file = dir.resolve("scaled.janus");
        ModelArchive.save(traced, file);
        String graph;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            graph = new String(zip.getInputStream(zip.getEntry("graph.json")).readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("\\s+", "");
        }
        assertTrue(graph.contains("\"op\":\"custom\",\"attrs\":{\"op\":{\"type\":\"string\",\"value\":\"archive.scale\"},"
                + "\"k\":{\"type\":\"long\",\"value\":3}}"), graph);
        assertArrayEquals(m.forward(x).toFloatArray(), ModelArchive.load(file).run(x)[0].toFloatArray(), 0f);
    }

    @Test
    void load_withTheOpUnregistered_failsSayingHowToFixIt() throws Exception {
        Scaled m = new Scaled(scale("archive.dropped"));
        Tensor x = Tensor.ones(4);
        Path file = dir.resolve("dropped.janus");
        ModelArchive.save(Tracer.trace(Scaled::forward, m, x), file);
        assertTrue(CustomOps.unregister("archive.dropped"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.load(file));
        assertTrue(e.getMessage().contains("archive uses custom op 'archive.dropped', which is not registered in this JVM; "
                + "register it (CustomOp.define(...).register()) before loading"), e.getMessage());
        // registered again (here: a new definition under the same name), the archive loads
        scale("archive.dropped");
        assertArrayEquals(new float[] {-3 * (float) Math.E, -3 * (float) Math.E, -3 * (float) Math.E,
                -3 * (float) Math.E}, ModelArchive.load(file).run(x)[0].toFloatArray(), 1e-5f);
    }

    @Test
    void load_withAMistypedCustomAttribute_failsNamingTheNodeAndAttribute() throws Exception {
        Scaled m = new Scaled(scale("archive.mistyped"));
        Path file = dir.resolve("ok.janus");
        ModelArchive.save(Tracer.trace(Scaled::forward, m, Tensor.ones(2)), file);
        Path bad = dir.resolve("bad.janus");
        rewriteGraphJson(file, bad, json -> json.replaceFirst(
                "\"k\"\\s*:\\s*\\{\\s*\"type\"\\s*:\\s*\"long\"\\s*,\\s*\"value\"\\s*:\\s*3\\s*}",
                "\"k\": {\"type\": \"string\", \"value\": \"three\"}"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.load(bad));
        assertTrue(e.getMessage().contains("(custom).attrs: attribute 'k' has type string but the op reads it as int"),
                e.getMessage());
    }

    /** Copies an archive with its graph.json edited (the zip's sizes and CRCs are written afresh). */
    private static void rewriteGraphJson(Path from, Path to, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        try (ZipFile zip = new ZipFile(from.toFile());
                var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(to))) {
            for (var entries = zip.entries(); entries.hasMoreElements();) {
                var entry = entries.nextElement();
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("graph.json")) {
                    String before = new String(bytes, StandardCharsets.UTF_8);
                    String after = edit.apply(before);
                    assertTrue(!after.equals(before), "the edit changed nothing");
                    bytes = after.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }

    @Test
    void onnxExport_refusesCustomOps_namingTheOpAndLine() throws Exception {
        Scaled m = new Scaled(scale("archive.onnx"));
        TracedFunction<Tensor> traced = Tracer.trace(Scaled::forward, m, Tensor.ones(2));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Onnx.export(traced, dir.resolve("m.onnx")));
        assertTrue(e.getMessage().contains("custom op 'archive.onnx' has no ONNX operator"), e.getMessage());
        assertTrue(e.getMessage().contains("CustomOpArchiveTest.java:"), e.getMessage());
        assertEquals(false, dir.resolve("m.onnx").toFile().exists());
    }
}
