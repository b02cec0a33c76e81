package dev.janus.io;

import dev.janus.Tensor;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import dev.janus.io.onnx.OnnxProtoReader;
import dev.janus.io.onnx.OnnxProtoWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * ONNX export of recorded Janus graphs (opset 17, IR version 8), for ONNX Runtime and other ONNX tools, and
 * import of ONNX models as Janus graphs.
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

    /**
     * Reads an ONNX model as a Janus graph to run with {@code CompiledGraph}. ONNX ops become Janus primitives
     * (Gemm a matmul and an add, Softmax exp/sum/div, ...); floating initializers become parameters named as in
     * the model; a graph input's unknown or symbolic dims are dynamic. {@code docs/onnx-conformance.md} lists
     * what is supported.
     *
     * <pre>{@code
     * Graph g = Onnx.importModel(Path.of("model.onnx"));
     * Tensor y = new CompiledGraph(g).run(x)[0];
     * }</pre>
     *
     * @throws ModelFormatException          when the file is not a well-formed ONNX model (the message says where)
     * @throws UnsupportedOperationException when the model uses an op, attribute or element type Janus cannot
     *                                       express (the message names the ONNX op)
     */
    public static Graph importModel(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(file + ": " + size + " bytes is more than one protobuf message may hold "
                    + "(ONNX external data is not supported)");
        }
        return importModel(Files.readAllBytes(file), file.getFileName().toString());
    }

    /** Reads an ONNX model from its bytes; {@code name} (a file name) labels errors and node locations. */
    public static Graph importModel(byte[] model, String name) throws ModelFormatException {
        return importModel(model, name, Map.of());
    }

    /**
     * Reads an ONNX model with some graph inputs fixed to values: they become constants, so inputs that Janus
     * needs as constants (a Reshape's target shape, a Slice's bounds, reduction axes) may come from the caller.
     * The graph's remaining inputs keep their order.
     *
     * <pre>{@code
     * Graph g = Onnx.importModel(bytes, "model.onnx", Map.of("shape", Tensor.of(new long[] {4, -1})));
     * }</pre>
     */
    public static Graph importModel(byte[] model, String name, Map<String, Tensor> fixedInputs) throws ModelFormatException {
        return OnnxImporter.importModel(OnnxProtoReader.read(model), name, fixedInputs);
    }

    /** Writes the ONNX model of {@code fn} to {@code file}, atomically (a temporary file, then a rename). */
    public static void export(GraphFunction fn, Path file) throws IOException {
        byte[] bytes = toBytes(fn);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
