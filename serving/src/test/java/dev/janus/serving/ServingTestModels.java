package dev.janus.serving;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.Shape;
import dev.janus.graph.ControlFlow;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.io.ModelArchive;
import dev.janus.ops.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Small archives the serving tests deploy, and the way they deploy them (one atomic folder rename). */
final class ServingTestModels {
    static final int WIDTH = 4;

    private ServingTestModels() {}

    /**
     * Version {@code k} of the "offset" model: {@code y = (x·I + k)·I + 100k}, so {@code y - x = 101k}. Its
     * two bias tensors carry the version, so an answer mixing two versions' weights would show another offset.
     */
    static Graph offsetModel(long k) {
        Tensor eye = Tensor.eye(WIDTH);
        Tensor a = Tensor.full(k, WIDTH);
        Tensor c = Tensor.full(100 * k, WIDTH);
        Map<Tensor, String> names = new IdentityHashMap<>();
        names.put(eye, "eye");
        names.put(a, "a");
        names.put(c, "c");
        return GraphCapture.captureAll(names, in -> List.of(in[0].matmul(eye).add(a).matmul(eye).add(c)),
                InputSpec.of(DType.FLOAT32, 2, WIDTH).dynamic(0).named("x"));
    }

    /**
     * Version 1 of the offset model made slow: {@code y = x + 101 + 0·z} where z is 300 rounds of
     * {@code tanh(z·W)} on x, so a run takes long enough for concurrent requests to meet in the batcher.
     */
    static Graph slowOffsetModel() {
        Tensor w = Tensor.eye(WIDTH).mul(0.5);
        return GraphCapture.captureAll(Map.of(w, "W"), in -> {
            Tensor z = in[0];
            for (int i = 0; i < 300; i++) {
                z = z.matmul(w).tanh();
            }
            return List.of(in[0].add(101.0).add(z.mul(0.0)));
        }, InputSpec.of(DType.FLOAT32, 2, WIDTH).dynamic(0).named("x"));
    }

    /** Two inputs, two outputs: {@code sum = a + float(b)}, {@code twice = 2a}; a:f32[?, 3], b:i64[?, 3]. */
    static Graph twoInputModel() {
        return GraphCapture.captureAll(Map.of(), in -> List.of(in[0].add(in[1].cast(DType.FLOAT32)), in[0].mul(2.0)),
                InputSpec.of(DType.FLOAT32, 2, 3).dynamic(0).named("a"),
                InputSpec.of(DType.INT64, 2, 3).dynamic(0).named("b"));
    }

    /** A model whose batch dim is fixed at 2 (no dynamic dims): never batched. */
    static Graph fixedBatchModel() {
        return GraphCapture.captureAll(Map.of(), in -> List.of(in[0].mul(3.0)), InputSpec.of(DType.FLOAT32, 2, 3)
                .named("x"));
    }

    /**
     * A model as slow as asked: {@code h <- tanh(W h)} repeated {@code T} times, with h0:f32[4, 2] and T an i64
     * scalar input (so it is never batched).
     */
    static Graph slowLoop() {
        Tensor w = Tensor.eye(4).mul(0.5);
        return GraphCapture.captureAll(Map.of(w, "W"), in -> ControlFlow.forLoop(in[1], List.of(in[0]),
                (t, carried) -> List.of(w.matmul(carried.get(0)).tanh())),
                InputSpec.of(DType.FLOAT32, 4, 2).named("h0"),
                InputSpec.of(new TensorSpec(DType.INT64, Shape.scalar())).named("T"));
    }

    /** Writes {@code graph} as {@code base/name/version/model.janus}, appearing at once (a folder rename). */
    static Path deploy(Path base, String name, long version, Graph graph) throws IOException {
        Path staging = Files.createTempDirectory(base.getParent(), "staging");
        ModelArchive.save(GraphFunction.of(graph, "forward"), staging.resolve("model.janus"));
        return moveIn(base, name, version, staging);
    }

    /** Puts a folder holding a file that is not an archive at {@code base/name/version}. */
    static Path deployBroken(Path base, String name, long version) throws IOException {
        Path staging = Files.createTempDirectory(base.getParent(), "staging");
        Files.write(staging.resolve("model.janus"), "not a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return moveIn(base, name, version, staging);
    }

    private static Path moveIn(Path base, String name, long version, Path staging) throws IOException {
        Path modelDir = Files.createDirectories(base.resolve(name));
        Path target = modelDir.resolve(Long.toString(version));
        return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
