package dev.janus.io;

import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model loaded from an archive, validated and compiled: run it with positional or named inputs. Its
 * weights are the archive's (the graph's parameters hold the loaded tensors). Thread-safe, like
 * {@link CompiledGraph}. It is a {@link GraphFunction}, so it can be saved again.
 *
 * <pre>{@code
 * LoadedModel m = ModelArchive.load(Path.of("mlp.janus"));
 * Map<String, Tensor> out = m.run(Map.of("x", batch));   // {"output0": logits}
 * }</pre>
 */
public final class LoadedModel implements GraphFunction {
    private final Graph graph;
    private final Signature signature;
    private final ArchiveInfo info;
    private final CompiledGraph compiled;

    LoadedModel(Graph graph, Signature signature, ArchiveInfo info) {
        this.graph = graph;
        this.signature = signature;
        this.info = info;
        this.compiled = new CompiledGraph(graph);
    }

    /** Runs the model on inputs in signature order; returns the outputs in signature order. */
    public Tensor[] run(Tensor... inputs) {
        checkInputs(inputs);
        return compiled.run(inputs);
    }

    /**
     * Runs the model on inputs given by name (exactly the signature's names); returns the outputs by name,
     * in signature order.
     */
    public Map<String, Tensor> run(Map<String, Tensor> named) {
        Tensor[] inputs = new Tensor[signature.inputs().size()];
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            int i = signature.inputIndex(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("the model has no input '" + e.getKey() + "'; its signature is "
                        + signature);
            }
            inputs[i] = e.getValue();
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("input '" + signature.inputs().get(i).name() + "' is missing; the "
                        + "signature is " + signature);
            }
        }
        Tensor[] outputs = run(inputs);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < outputs.length; i++) {
            out.put(signature.outputs().get(i).name(), outputs[i]);
        }
        return out;
    }

    private void checkInputs(Tensor[] inputs) {
        if (inputs.length != signature.inputs().size()) {
            throw new IllegalArgumentException("the model takes " + signature.inputs().size() + " inputs "
                    + signature + ", got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            Signature.Slot s = signature.inputs().get(i);
            Tensor t = inputs[i];
            long[] want = s.spec().shape().dims();
            long[] got = t.shape().dims();
            boolean ok = t.dtype() == s.spec().dtype() && want.length == got.length;
            for (int d = 0; ok && d < want.length; d++) {
                ok = want[d] == got[d] || s.isDynamic(d);
            }
            if (!ok) {
                throw new IllegalArgumentException("input '" + s.name() + "' must be " + s + ", got "
                        + t.dtype().shortName() + t.shape());
            }
        }
    }

    /** The validated graph, as rebuilt from the archive. */
    @Override
    public Graph graph() {
        return graph;
    }

    /** The saved function's name ({@code "forward"}). */
    @Override
    public String name() {
        return info.function();
    }

    /** Input and output names, dtypes, shapes and dynamic dims. */
    public Signature signature() {
        return signature;
    }

    /** What meta.json says: versions, producer, creation time. */
    public ArchiveInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "LoadedModel " + info.function() + signature;
    }
}
