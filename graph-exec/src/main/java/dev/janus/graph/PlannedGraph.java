package dev.janus.graph;

import dev.janus.AnomalyException;
import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.eager.EagerTensor;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph specialized to concrete input types: every value's type inferred once, one step per node, and a
 * memory plan that gives each intermediate a workspace buffer, reused by a later value of the same type
 * once its last reader has run. Immutable and shared by all threads; what a call mutates — the buffers —
 * is a {@link Workspace}, one per concurrent call.
 *
 * <p>Kernels write into their planned buffers ({@link Backend#executeInto}); a reshape or detach shares its
 * input's buffer; the graph's outputs are written straight into buffers the caller provides. Subgraphs of
 * control nodes are planned the same way, with their captured values as extra inputs.
 */
final class PlannedGraph {
    /** Thrown while planning when a type depends on data (a loop's scanned outputs): the caller interprets instead. */
    static final class NotPlannable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotPlannable(String why) {
            super(why, null, false, false);
        }
    }

    final Backend backend;
    private final int slotCount;
    private final int[] inputSlots;
    private final TensorSpec[] inputSpecs;
    final TensorSpec[] outputSpecs;
    private final int[] outputSlots;
    /** Outputs not written by their producing step (inputs, parameters, aliases, repeats): copied at the end. */
    private final boolean[] copyOutput;
    private final int[] boundSlots;
    private final Tensor[] boundTensors;
    private final Step[] steps;
    private final TensorSpec[] bufferSpecs;
    private final int[] bufferOfSlot;
    /** For each output index, the caller-buffer slot (or -1 when the output is copied). */
    private final int[] callerSlotOfOutput;

    PlannedGraph(Graph graph, List<Value> formalInputs, TensorSpec[] actualInputs, Backend backend) {
        this.backend = backend;
        Map<Value, Integer> slotOf = new IdentityHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        this.inputSlots = new int[formalInputs.size()];
        this.inputSpecs = actualInputs.clone();
        for (int i = 0; i < inputSlots.length; i++) {
            inputSlots[i] = slot(slotOf, specs, formalInputs.get(i), actualInputs[i]);
        }
        List<Integer> bound = new ArrayList<>();
        List<Tensor> boundTensorList = new ArrayList<>();
        for (Map.Entry<Value, Tensor> e : graph.parameters().entrySet()) {
            bound.add(slot(slotOf, specs, e.getKey(), e.getKey().spec()));
            boundTensorList.add(e.getValue());
        }
        for (Map.Entry<Value, Tensor> e : graph.constants().entrySet()) {
            bound.add(slot(slotOf, specs, e.getKey(), e.getKey().spec()));
            boundTensorList.add(onThisBackend(e.getValue()));
        }
        this.boundSlots = bound.stream().mapToInt(Integer::intValue).toArray();
        this.boundTensors = boundTensorList.toArray(new Tensor[0]);

        List<Step> stepList = new ArrayList<>();
        for (Node n : graph.nodes()) {
            stepList.add(plan(n, slotOf, specs));
        }
        this.steps = stepList.toArray(new Step[0]);
        this.slotCount = specs.size();

        List<Value> outs = graph.outputs();
        this.outputSlots = new int[outs.size()];
        this.outputSpecs = new TensorSpec[outs.size()];
        this.copyOutput = new boolean[outs.size()];
        this.callerSlotOfOutput = new int[outs.size()];
        boolean[] producedHere = new boolean[slotCount];
        for (Step s : steps) {
            for (int o : s.writes()) {
                producedHere[o] = !s.aliases(); // an alias's buffer is its input's: the caller's needs a copy
            }
        }
        boolean[] claimed = new boolean[slotCount];
        for (int i = 0; i < outs.size(); i++) {
            Integer slot = slotOf.get(outs.get(i));
            if (slot == null) {
                throw new IllegalStateException("output " + outs.get(i).ref() + " is not defined in the graph");
            }
            outputSlots[i] = slot;
            outputSpecs[i] = specs.get(slot);
            copyOutput[i] = !producedHere[slot] || claimed[slot];
            claimed[slot] |= !copyOutput[i];
            callerSlotOfOutput[i] = copyOutput[i] ? -1 : slot;
        }
        MemoryPlan memory = MemoryPlan.of(steps, slotCount, specs, inputSlots, boundSlots, callerSlotOfOutput,
                outputSlots);
        this.bufferSpecs = memory.bufferSpecs();
        this.bufferOfSlot = memory.bufferOfSlot();
    }

    static int slot(Map<Value, Integer> slotOf, List<TensorSpec> specs, Value v, TensorSpec actual) {
        Integer existing = slotOf.get(v);
        if (existing != null) {
            return existing;
        }
        slotOf.put(v, specs.size());
        specs.add(actual);
        return specs.size() - 1;
    }

    private Step plan(Node n, Map<Value, Integer> slotOf, List<TensorSpec> specs) {
        int[] in = new int[n.inputs().size()];
        TensorSpec[] inSpecs = new TensorSpec[in.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = slotOf.get(n.inputs().get(i));
            inSpecs[i] = specs.get(in[i]);
        }
        try {
            return switch (n.op()) {
                case IF -> ControlSteps.planIf(n, in, slotOf, specs, backend);
                case LOOP -> ControlSteps.planLoop(n, in, slotOf, specs, backend);
                case FUSED -> ControlSteps.planFused(n, in, inSpecs, slotOf, specs, backend);
                default -> {
                    TensorSpec out = ShapeRules.infer(n.op(), n.attrs(), inSpecs);
                    int o = slot(slotOf, specs, n.output(), out);
                    yield n.op() == Op.RESHAPE || n.op() == Op.STOP_GRADIENT
                            ? new AliasStep(n, in[0], o)
                            : new KernelStep(n, in, inSpecs, o, out);
                }
            };
        } catch (NotPlannable e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GraphExecutionException(n, e);
        }
    }

    /** The types this plan was made for. */
    boolean accepts(Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != inputSpecs[i].dtype() || !inputs[i].shape().equals(inputSpecs[i].shape())) {
                return false;
            }
        }
        return true;
    }

    Workspace newWorkspace() {
        return new Workspace(this);
    }

    /**
     * Runs the plan: {@code inputs} in formal order (graph inputs, then captured values), results written
     * into {@code outputs} (one buffer per output, of {@link #outputSpecs}).
     */
    void run(Workspace ws, Buffer[] inputs, Buffer[] outputs) {
        Buffer[] slots = ws.slots;
        for (int i = 0; i < inputSlots.length; i++) {
            slots[inputSlots[i]] = inputs[i];
        }
        for (int i = 0; i < boundSlots.length; i++) {
            slots[boundSlots[i]] = bufferOf(boundTensors[i]);
        }
        for (int i = 0; i < callerSlotOfOutput.length; i++) {
            if (callerSlotOfOutput[i] >= 0) {
                slots[callerSlotOfOutput[i]] = outputs[i];
            }
        }
        for (int k = 0; k < steps.length; k++) {
            steps[k].run(this, ws, k);
        }
        for (int i = 0; i < outputSlots.length; i++) {
            if (copyOutput[i]) {
                backend.copy(slots[outputSlots[i]], outputs[i]);
            }
        }
        ws.release(bufferOfSlot);
    }

    /**
     * Constants belong to the graph, not to the user, so they follow the graph to its device (a CPU scalar
     * recorded by an optimizer step, for one); parameters and inputs must be there already (GraphDevice).
     */
    private Tensor onThisBackend(Tensor t) {
        if (!(t instanceof EagerTensor e) || e.backend() == backend) {
            return t;
        }
        // NOTE: device index 0: graphs run on one device per kind for now
        Device device = new Device(backend.deviceKind(), 0);
        return EagerTensor.wrap(backend.fromHost(e.backend().toHost(e.buffer()), e.dtype(), device),
                new TensorSpec(e.dtype(), e.shape()), backend, device);
    }

    private Buffer bufferOf(Tensor t) {
        if (t instanceof EagerTensor e) {
            return e.buffer();
        }
        throw new IllegalStateException("graph parameter " + t.shape() + " is not a concrete tensor");
    }

    /** Anomaly mode: blames the node whose floating output is non-finite while its inputs are finite. */
    void checkAnomaly(Node n, Buffer[] in, TensorSpec[] inSpecs, Buffer out, TensorSpec outSpec) {
        if (!Janus.isAnomalyEnabled() || !outSpec.dtype().isFloating() || !backend.hasNonFinite(out)) {
            return;
        }
        for (int i = 0; i < in.length; i++) {
            if (inSpecs[i].dtype().isFloating() && backend.hasNonFinite(in[i])) {
                return;
            }
        }
        throw new GraphExecutionException(n, new AnomalyException("anomaly: op '" + n.op().opName()
                + "' produced NaN or Inf from finite inputs " + Arrays.toString(inSpecs)));
    }

    /** The buffers of one concurrent call: planned intermediates (made once) and per-call bindings. */
    static final class Workspace {
        final Buffer[] slots;
        final Buffer[][] args;
        final Object[] stepState;

        Workspace(PlannedGraph plan) {
            this.slots = new Buffer[plan.slotCount];
            Buffer[] buffers = new Buffer[plan.bufferSpecs.length];
            for (int b = 0; b < buffers.length; b++) {
                buffers[b] = plan.backend.allocate(plan.bufferSpecs[b].dtype(), plan.bufferSpecs[b].shape().numel());
            }
            for (int s = 0; s < slots.length; s++) {
                if (plan.bufferOfSlot[s] >= 0) {
                    slots[s] = buffers[plan.bufferOfSlot[s]];
                }
            }
            this.args = new Buffer[plan.steps.length][];
            this.stepState = new Object[plan.steps.length];
            for (int k = 0; k < plan.steps.length; k++) {
                args[k] = new Buffer[plan.steps[k].reads().length];
                stepState[k] = plan.steps[k].newState(plan);
            }
        }

        /** Drops the references to per-call buffers (inputs, outputs, aliases) so the workspace holds no user data. */
        void release(int[] bufferOfSlot) {
            for (int s = 0; s < slots.length; s++) {
                if (bufferOfSlot[s] < 0) {
                    slots[s] = null;
                }
            }
            for (Buffer[] a : args) {
                Arrays.fill(a, null);
            }
        }
    }

    /** One node's execution. */
    interface Step {
        Node node();

        int[] reads();

        int[] writes();

        /** True when the step's outputs share the buffer of its first input (no buffer of their own). */
        default boolean aliases() {
            return false;
        }

        /** Mutable per-workspace state (nested workspaces of control steps), or null. */
        default Object newState(PlannedGraph plan) {
            return null;
        }

        void run(PlannedGraph plan, Workspace ws, int index);
    }

    /** A primitive run by the backend straight into its planned buffer. */
    record KernelStep(Node node, int[] reads, TensorSpec[] inSpecs, int out, TensorSpec outSpec) implements Step {
        @Override
        public int[] writes() {
            return new int[] {out};
        }

        @Override
        public void run(PlannedGraph plan, Workspace ws, int index) {
            Buffer[] a = ws.args[index];
            for (int i = 0; i < reads.length; i++) {
                a[i] = ws.slots[reads[i]];
            }
            Buffer o = ws.slots[out];
            try {
                plan.backend.executeInto(node.op(), node.attrs(), a, inSpecs, outSpec, o);
            } catch (RuntimeException e) {
                throw new GraphExecutionException(node, e);
            }
            plan.checkAnomaly(node, a, inSpecs, o, outSpec);
        }
    }

    /** Reshape and detach: the output is the input's buffer, typed anew. */
    record AliasStep(Node node, int in, int out) implements Step {
        @Override
        public int[] reads() {
            return new int[] {in};
        }

        @Override
        public int[] writes() {
            return new int[] {out};
        }

        @Override
        public boolean aliases() {
            return true;
        }

        @Override
        public void run(PlannedGraph plan, Workspace ws, int index) {
            ws.slots[out] = ws.slots[in];
        }
    }

    /**
     * Liveness-based buffer assignment: walking the steps in order, each value a kernel writes gets a free
     * workspace buffer of exactly its dtype and size (or a new one), and a value's buffer is freed after the
     * last step that reads it or any alias of it. Inputs, parameters, constants and caller-provided outputs
     * have no workspace buffer. A step's output never shares a buffer with its own inputs.
     */
    record MemoryPlan(TensorSpec[] bufferSpecs, int[] bufferOfSlot) {
        static MemoryPlan of(Step[] steps, int slotCount, List<TensorSpec> specs, int[] inputSlots, int[] boundSlots,
                int[] callerSlots, int[] outputSlots) {
            int[] root = new int[slotCount];
            for (int s = 0; s < slotCount; s++) {
                root[s] = s;
            }
            boolean[] external = new boolean[slotCount];
            for (int s : inputSlots) {
                external[s] = true;
            }
            for (int s : boundSlots) {
                external[s] = true;
            }
            for (int s : callerSlots) {
                if (s >= 0) {
                    external[s] = true;
                }
            }
            int end = steps.length;
            int[] lastUse = new int[slotCount];
            Arrays.fill(lastUse, -1);
            for (int k = 0; k < steps.length; k++) {
                Step st = steps[k];
                if (st.aliases()) {
                    root[st.writes()[0]] = root[st.reads()[0]];
                }
                for (int r : st.reads()) {
                    lastUse[root[r]] = Math.max(lastUse[root[r]], k);
                }
                for (int w : st.writes()) {
                    lastUse[root[w]] = Math.max(lastUse[root[w]], k);
                }
            }
            for (int s : outputSlots) {
                lastUse[root[s]] = end; // copied out after the last step
            }
            int[] bufferOf = new int[slotCount];
            Arrays.fill(bufferOf, -1);
            List<TensorSpec> buffers = new ArrayList<>();
            Map<TensorSpec, Deque<Integer>> free = new HashMap<>();
            List<List<Integer>> dyingAt = new ArrayList<>();
            for (int k = 0; k < steps.length; k++) {
                dyingAt.add(new ArrayList<>());
            }
            for (int k = 0; k < steps.length; k++) {
                Step st = steps[k];
                if (!st.aliases()) {
                    for (int w : st.writes()) {
                        if (external[w]) {
                            continue;
                        }
                        TensorSpec key = flat(specs.get(w));
                        Deque<Integer> pool = free.get(key);
                        Integer b = pool == null ? null : pool.poll();
                        if (b == null) {
                            b = buffers.size();
                            buffers.add(key);
                        }
                        bufferOf[w] = b;
                        if (lastUse[w] < end) {
                            dyingAt.get(Math.max(lastUse[w], k)).add(w);
                        }
                    }
                }
                for (int s : dyingAt.get(k)) {
                    free.computeIfAbsent(flat(specs.get(s)), x -> new ArrayDeque<>()).push(bufferOf[s]);
                }
            }
            return new MemoryPlan(buffers.toArray(new TensorSpec[0]), bufferOf);
        }

        private static TensorSpec flat(TensorSpec s) {
            return new TensorSpec(s.dtype(), dev.janus.Shape.of(s.shape().numel()));
        }
    }

    /** The value of an i64 or bool scalar buffer (bool as 0/1), read on the host: loop trip counts and conditions. */
    static long readLong(Backend backend, Buffer b) {
        Object host = backend.toHost(b);
        return b.dtype() == DType.BOOL ? (((boolean[]) host)[0] ? 1 : 0) : ((long[]) host)[0];
    }
}
