package dev.janus.graph;

import dev.janus.Device;
import dev.janus.Tensor;
import dev.janus.eager.EagerTensor;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A graph ready to run fast, many times, from many threads. On the first call with a new input-shape
 * signature it plans the graph ({@link PlannedGraph}: types inferred once, buffers assigned by liveness);
 * each call then borrows a workspace of preallocated buffers from that plan's pool, so steady-state calls
 * allocate only their output tensors. A graph whose types depend on data (a loop's scanned outputs) is run
 * by the {@link Executor} interpreter instead, with the same results.
 *
 * <pre>{@code
 * CompiledGraph net = new CompiledGraph(PassManager.defaultPipeline().apply(graph));
 * Tensor logits = net.run(batch)[0];
 * }</pre>
 */
public final class CompiledGraph {
    private final Graph graph;
    private final Executor interpreter;
    private final Map<List<Object>, Entry> plans = new ConcurrentHashMap<>();
    private volatile Entry last;

    /** One plan per input-shape signature, and its pool of idle workspaces. */
    private static final class Entry {
        final PlannedGraph plan;
        final Device device;
        final ConcurrentLinkedDeque<PlannedGraph.Workspace> idle = new ConcurrentLinkedDeque<>();

        Entry(PlannedGraph plan, Device device) {
            this.plan = plan;
            this.device = device;
        }
    }

    public CompiledGraph(Graph graph) {
        graph.verify();
        this.graph = graph;
        this.interpreter = new Executor(graph);
    }

    public Graph graph() {
        return graph;
    }

    /** Runs the graph; inputs must match its inputs' dtypes and static dims (dynamic dims may take any size). */
    public Tensor[] run(Tensor... inputs) {
        checkInputs(inputs);
        Device device = GraphDevice.of(graph, inputs);
        Entry e = last;
        if (e == null || e.plan == null || !e.device.equals(device) || !e.plan.accepts(inputs)) {
            e = plans.computeIfAbsent(signature(inputs, device), k -> plan(inputs, device));
            last = e;
        }
        if (e.plan == null) {
            return interpreter.run(inputs);
        }
        PlannedGraph plan = e.plan;
        Buffer[] in = new Buffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            in[i] = ((EagerTensor) inputs[i]).buffer();
        }
        Buffer[] out = new Buffer[plan.outputSpecs.length];
        Tensor[] result = new Tensor[out.length];
        Backend backend = plan.backend;
        for (int i = 0; i < out.length; i++) {
            TensorSpec s = plan.outputSpecs[i];
            out[i] = backend.allocate(s.dtype(), s.shape().numel());
            result[i] = EagerTensor.wrap(out[i], s, backend, device);
        }
        PlannedGraph.Workspace ws = e.idle.pollFirst();
        if (ws == null) {
            ws = plan.newWorkspace();
        }
        try {
            plan.run(ws, in, out);
        } finally {
            e.idle.offerFirst(ws);
        }
        return result;
    }

    /** How many input-shape signatures have been planned (a retrace-like count for diagnostics). */
    public int planCount() {
        return plans.size();
    }

    private Entry plan(Tensor[] inputs, Device device) {
        TensorSpec[] actual = new TensorSpec[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            actual[i] = new TensorSpec(inputs[i].dtype(), inputs[i].shape());
        }
        try {
            return new Entry(new PlannedGraph(graph, graph.inputs(), actual, backendOf(device, inputs)), device);
        } catch (PlannedGraph.NotPlannable why) {
            return new Entry(null, device);
        }
    }

    /** The backend of any tensor the graph reads on {@code device} (they all live there: GraphDevice checked). */
    private Backend backendOf(Device device, Tensor[] inputs) {
        List<Tensor> candidates = new ArrayList<>(graph.parameters().values());
        candidates.addAll(graph.constants().values());
        candidates.addAll(Arrays.asList(inputs));
        for (Tensor t : candidates) {
            if (t instanceof EagerTensor e && e.device().equals(device)) {
                return e.backend();
            }
        }
        return ((EagerTensor) Tensor.zeros(1).to(device)).backend();
    }

    private static List<Object> signature(Tensor[] inputs, Device device) {
        List<Object> key = new ArrayList<>(inputs.length + 1);
        key.add(device);
        for (Tensor t : inputs) {
            key.add(new TensorSpec(t.dtype(), t.shape()));
        }
        return key;
    }

    private void checkInputs(Tensor[] inputs) {
        List<Value> formal = graph.inputs();
        if (inputs.length != formal.size()) {
            throw new IllegalArgumentException("the graph takes " + formal.size() + " inputs, got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            Value f = formal.get(i);
            Tensor t = inputs[i];
            if (!(t instanceof EagerTensor)) {
                throw new IllegalArgumentException("graph input " + f.ref() + " needs a concrete tensor, got " + t.getClass()
                        .getSimpleName());
            }
            long[] want = f.spec().shape().dims();
            long[] got = t.shape().dims();
            boolean ok = t.dtype() == f.spec().dtype() && want.length == got.length;
            for (int d = 0; ok && d < want.length; d++) {
                ok = want[d] == got[d] || f.isDynamic(d);
            }
            if (!ok) {
                throw new IllegalArgumentException("graph input " + f.ref() + " expects " + f.typeString() + ", got "
                        + new TensorSpec(t.dtype(), t.shape()));
            }
        }
    }
}
