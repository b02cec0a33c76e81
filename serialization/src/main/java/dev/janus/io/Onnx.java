package dev.janus.io;

import dev.janus.graph.GraphFunction;
import dev.janus.io.onnx.OnnxProtoWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * ONNX export of recorded Janus graphs (opset 17, IR version 8), for ONNX Runtime and other ONNX tools.
 *
 * <pre>{@code
 * Graph g = GraphCapture.capture(model, model::forward, InputSpec.of(DType.FLOAT32, 1, 784).dynamic(0));
 * Onnx.export(GraphFunction.of(g, "mlp"), Path.of("mlp.onnx"));
 * }</pre>
 *
 * <p>Every Janus primitive except the two gradient kernels ({@code conv2d_weight_grad},
 * {@code max_pool2d_grad}) has an ONNX form; {@code if} and {@code loop} become If and Loop, a {@code fused}
 * kernel is inlined. Parameters are initializers named by their parameter names; graph inputs keep their
 * names and their dynamic dims ({@code dim_param} {@code batch} for axis 0, {@code N<axis>} otherwise). A node
 * that cannot be exported fails with an {@link UnsupportedOperationException} naming it and its source line.
 */
public final class Onnx {
    /** The ONNX operator set exported models import. */
    public static final long OPSET = OnnxExporter.OPSET;

    private Onnx() {}

    /** The ONNX model of {@code fn} as bytes. */
    public static byte[] toBytes(GraphFunction fn) {
        return OnnxProtoWriter.toBytes(OnnxExporter.export(fn));
    }

    /** Writes the ONNX model of {@code fn} to {@code out} (not closed). */
    public static void export(GraphFunction fn, OutputStream out) throws IOException {
        OnnxProtoWriter.write(OnnxExporter.export(fn), out);
    }

    /** Writes the ONNX model of {@code fn} to {@code file}, atomically (a temporary file, then a rename). */
    public static void export(GraphFunction fn, Path file) throws IOException {
        byte[] bytes = toBytes(fn);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
