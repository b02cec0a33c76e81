package dev.janus.graph;

import dev.janus.Tensor;
import dev.janus.nn.Module;
import dev.janus.ops.Dispatch;
import dev.janus.ops.TensorSpec;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Low-level capture: runs a Java function once on symbolic tensors and returns the graph it recorded.
 * Straight-line code only — a Java branch or loop is followed for the example shapes and recorded unrolled
 * (the bytecode tracer adds real control flow).
 *
 * <pre>{@code
 * Graph g = GraphCapture.capture(model, x -> model.forward(x), new TensorSpec(DType.FLOAT32, Shape.of(64, 784)));
 * Tensor[] y = new Executor(g).run(batch);
 * }</pre>
 */
public final class GraphCapture {
    private GraphCapture() {}

    /** Captures {@code fn} on inputs of the given types; eager tensors it touches become constants or parameters. */
    public static Graph capture(Function<Tensor[], Tensor> fn, TensorSpec... inputSpecs) {
        return captureAll(Map.of(), in -> List.of(fn.apply(in)), inputSpecs);
    }

    /** Captures {@code fn} on inputs that may have dynamic dims ({@link InputSpec#dynamic}). */
    public static Graph capture(Function<Tensor[], Tensor> fn, InputSpec... inputSpecs) {
        return captureAll(Map.of(), in -> List.of(fn.apply(in)), inputSpecs);
    }

    /** Captures {@code model}'s forward with its parameters named by their dotted paths, on a dynamic input. */
    public static Graph capture(Module model, Function<Tensor, Tensor> fn, InputSpec inputSpec) {
        return captureAll(namesOf(model), in -> List.of(fn.apply(in[0])), inputSpec);
    }

    /** Captures {@code fn} with {@code model}'s parameters named by their dotted paths ({@code fc1.weight}). */
    public static Graph capture(Module model, Function<Tensor, Tensor> fn, TensorSpec inputSpec) {
        return capture(model, fn, InputSpec.of(inputSpec));
    }

    /** The dotted names of {@code model}'s parameters and buffers, keyed by tensor identity. */
    public static Map<Tensor, String> namesOf(Module model) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((k, v) -> names.put(v, k));
        model.namedBuffers().forEach((k, v) -> names.put(v, k));
        return names;
    }

    /** Captures a function with several outputs. */
    public static Graph captureAll(Map<Tensor, String> parameterNames, Function<Tensor[], List<Tensor>> fn,
            TensorSpec... inputSpecs) {
        InputSpec[] specs = new InputSpec[inputSpecs.length];
        for (int i = 0; i < specs.length; i++) {
            specs[i] = InputSpec.of(inputSpecs[i]);
        }
        return captureAll(parameterNames, fn, specs);
    }

    /** Captures a function with several outputs on inputs that may have dynamic dims. */
    public static Graph captureAll(Map<Tensor, String> parameterNames, Function<Tensor[], List<Tensor>> fn,
            InputSpec... inputSpecs) {
        GraphBuilder b = new GraphBuilder(parameterNames);
        Tensor[] inputs = inputs(b, inputSpecs);
        List<Tensor> outs;
        try (var rec = Dispatch.record(b)) {
            outs = fn.apply(inputs);
        }
        Graph g = b.build(outs);
        g.verify();
        return g;
    }

    /** The graph inputs of {@code specs} in {@code b}: named as the spec says, else {@code x} (one) or {@code x0, x1...}. */
    static Tensor[] inputs(GraphBuilder b, InputSpec... specs) {
        Tensor[] inputs = new Tensor[specs.length];
        for (int i = 0; i < inputs.length; i++) {
            InputSpec s = specs[i];
            String name = s.name() != null ? s.name() : specs.length == 1 ? "x" : "x" + i;
            inputs[i] = b.input(name, s.spec(), s.dynamicDims());
        }
        return inputs;
    }
}
