package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Planned execution of the control ops. Each subgraph is a nested {@link PlannedGraph} whose inputs are its
 * own inputs followed by the enclosing values it captures; it runs in a nested workspace kept with the
 * enclosing one, so repeated calls and loop iterations reuse their buffers.
 */
final class ControlSteps {
    private ControlSteps() {}

    static PlannedGraph.Step planIf(Node n, int[] in, Map<Value, Integer> slotOf, List<TensorSpec> specs, Backend backend) {
        PlannedGraph[] branches = new PlannedGraph[2];
        int[][] captured = new int[2][];
        List<Integer> reads = new ArrayList<>(List.of(in[0]));
        for (int b = 0; b < 2; b++) {
            Graph g = n.subgraphs().get(b);
            List<Value> cap = g.capturedValues();
            captured[b] = slotsOf(cap, slotOf);
            branches[b] = new PlannedGraph(g, cap, specsOf(captured[b], specs), backend);
            for (int s : captured[b]) {
                reads.add(s);
            }
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            if (!branches[0].outputSpecs[i].equals(branches[1].outputSpecs[i])) {
                throw new PlannedGraph.NotPlannable("if branches give " + branches[0].outputSpecs[i] + " and "
                        + branches[1].outputSpecs[i]);
            }
        }
        int[] outs = defineOutputs(n, branches[0].outputSpecs, slotOf, specs);
        return new IfStep(n, reads.stream().mapToInt(Integer::intValue).toArray(), outs, in[0], branches, captured);
    }

    static PlannedGraph.Step planLoop(Node n, int[] in, Map<Value, Integer> slotOf, List<TensorSpec> specs,
            Backend backend) {
        Graph body = n.subgraphs().get(0);
        int carried = in.length - 2;
        List<Value> cap = body.capturedValues();
        int[] capSlots = slotsOf(cap, slotOf);
        List<Value> formal = new ArrayList<>(body.inputs());
        formal.addAll(cap);
        TensorSpec[] actual = new TensorSpec[formal.size()];
        actual[0] = new TensorSpec(DType.INT64, Shape.scalar());
        actual[1] = new TensorSpec(DType.BOOL, Shape.scalar());
        TensorSpec[] carriedSpecs = new TensorSpec[carried];
        for (int c = 0; c < carried; c++) {
            carriedSpecs[c] = specs.get(in[2 + c]);
            actual[2 + c] = carriedSpecs[c];
        }
        for (int c = 0; c < capSlots.length; c++) {
            actual[2 + carried + c] = specs.get(capSlots[c]);
        }
        PlannedGraph plan = new PlannedGraph(body, formal, actual, backend);
        if (plan.outputSpecs.length != 1 + carried) {
            throw new PlannedGraph.NotPlannable("loop with scanned outputs (their length depends on the data)");
        }
        for (int c = 0; c < carried; c++) {
            if (!plan.outputSpecs[1 + c].equals(carriedSpecs[c])) {
                throw new PlannedGraph.NotPlannable("loop-carried value " + c + " changes type: " + carriedSpecs[c] + " -> "
                        + plan.outputSpecs[1 + c]);
            }
        }
        int[] reads = new int[in.length + capSlots.length];
        System.arraycopy(in, 0, reads, 0, in.length);
        System.arraycopy(capSlots, 0, reads, in.length, capSlots.length);
        int[] outs = defineOutputs(n, carriedSpecs, slotOf, specs);
        return new LoopStep(n, reads, outs, in, capSlots, plan);
    }

    static PlannedGraph.Step planFused(Node n, int[] in, TensorSpec[] inSpecs, Map<Value, Integer> slotOf,
            List<TensorSpec> specs, Backend backend) {
        Graph kernel = n.subgraphs().get(0);
        PlannedGraph plan = new PlannedGraph(kernel, kernel.inputs(), inSpecs, backend);
        int[] outs = defineOutputs(n, plan.outputSpecs, slotOf, specs);
        FusedKernel compiled = outs.length == 1 ? compile(kernel, inSpecs, plan.outputSpecs[0], backend) : null;
        return compiled != null ? new CompiledFusedStep(n, in, outs[0], compiled) : new FusedStep(n, in, outs, plan);
    }

    /** The backend's single-loop kernel for {@code kernel}'s chain, or null when it cannot compile it. */
    private static FusedKernel compile(Graph kernel, TensorSpec[] inSpecs, TensorSpec out, Backend backend) {
        Map<Value, Integer> index = new java.util.IdentityHashMap<>();
        List<Shape> inputShapes = new ArrayList<>();
        for (int i = 0; i < inSpecs.length; i++) {
            index.put(kernel.inputs().get(i), i);
            inputShapes.add(inSpecs[i].shape());
        }
        List<ElementwiseProgram.Step> steps = new ArrayList<>();
        for (Node m : kernel.nodes()) {
            int[] args = new int[m.inputs().size()];
            for (int a = 0; a < args.length; a++) {
                Integer k = index.get(m.inputs().get(a));
                if (k == null) {
                    return null; // reads a constant of the kernel itself: leave it to the nested plan
                }
                args[a] = k;
            }
            index.put(m.output(), inSpecs.length + steps.size());
            steps.add(ElementwiseProgram.Step.of(m.op(), m.attrs(), args));
        }
        if (kernel.outputs().size() != 1 || index.get(kernel.outputs().get(0)) == null
                || index.get(kernel.outputs().get(0)) != inSpecs.length + steps.size() - 1) {
            return null;
        }
        try {
            return backend.compileElementwise(new ElementwiseProgram(out.dtype(), out.shape(), inputShapes, steps));
        } catch (IllegalArgumentException notAProgram) {
            return null;
        }
    }

    /** A fused chain compiled by the backend into one loop. */
    record CompiledFusedStep(Node node, int[] reads, int out, FusedKernel kernel) implements PlannedGraph.Step {
        @Override
        public int[] writes() {
            return new int[] {out};
        }

        @Override
        public void run(PlannedGraph plan, PlannedGraph.Workspace ws, int index) {
            Buffer[] a = ws.args[index];
            for (int i = 0; i < reads.length; i++) {
                a[i] = ws.slots[reads[i]];
            }
            try {
                kernel.run(a, ws.slots[out]);
            } catch (RuntimeException e) {
                throw new GraphExecutionException(node, e);
            }
        }
    }

    private static int[] defineOutputs(Node n, TensorSpec[] types, Map<Value, Integer> slotOf, List<TensorSpec> specs) {
        int[] outs = new int[n.outputs().size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = PlannedGraph.slot(slotOf, specs, n.outputs().get(i), types[i]);
        }
        return outs;
    }

    private static int[] slotsOf(List<Value> values, Map<Value, Integer> slotOf) {
        int[] s = new int[values.size()];
        for (int i = 0; i < s.length; i++) {
            Integer slot = slotOf.get(values.get(i));
            if (slot == null) {
                throw new IllegalStateException("a subgraph captures " + values.get(i).ref() + ", which is not in scope");
            }
            s[i] = slot;
        }
        return s;
    }

    private static TensorSpec[] specsOf(int[] slots, List<TensorSpec> specs) {
        TensorSpec[] t = new TensorSpec[slots.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = specs.get(slots[i]);
        }
        return t;
    }

    private static Buffer[] gather(PlannedGraph.Workspace ws, int[] slots, Buffer[] into, int at) {
        for (int i = 0; i < slots.length; i++) {
            into[at + i] = ws.slots[slots[i]];
        }
        return into;
    }

    /** The nested workspaces and argument arrays of one control step in one enclosing workspace. */
    private static final class Nested {
        final PlannedGraph.Workspace[] workspaces;
        final Buffer[][] inputs;
        final Buffer[] outputs;

        Nested(PlannedGraph[] plans, int outputs) {
            this.workspaces = new PlannedGraph.Workspace[plans.length];
            this.inputs = new Buffer[plans.length][];
            for (int i = 0; i < plans.length; i++) {
                workspaces[i] = plans[i].newWorkspace();
            }
            this.outputs = new Buffer[outputs];
        }
    }

    record IfStep(Node node, int[] reads, int[] writes, int cond, PlannedGraph[] branches, int[][] captured)
            implements PlannedGraph.Step {
        @Override
        public Object newState(PlannedGraph plan) {
            Nested st = new Nested(branches, writes.length);
            for (int b = 0; b < 2; b++) {
                st.inputs[b] = new Buffer[captured[b].length];
            }
            return st;
        }

        @Override
        public void run(PlannedGraph plan, PlannedGraph.Workspace ws, int index) {
            Nested st = (Nested) ws.stepState[index];
            int b = PlannedGraph.readLong(plan.backend, ws.slots[cond]) != 0 ? 0 : 1;
            gather(ws, writes, st.outputs, 0);
            branches[b].run(st.workspaces[b], gather(ws, captured[b], st.inputs[b], 0), st.outputs);
        }
    }

    /**
     * ONNX Loop over a planned body. Carried values ping-pong between two sets of buffers (iteration k
     * writes set k % 2 and reads set (k - 1) % 2), so a loop with stable carried types allocates nothing
     * per iteration beyond the host reads of its condition.
     */
    record LoopStep(Node node, int[] reads, int[] writes, int[] in, int[] captured, PlannedGraph body)
            implements PlannedGraph.Step {
        private static final class State {
            final PlannedGraph.Workspace bodyWorkspace;
            final Buffer[][] sets = new Buffer[2][];
            final Buffer[] args;
            final List<Buffer> iterationNumbers = new ArrayList<>();

            State(PlannedGraph body, int carried, int captured) {
                this.bodyWorkspace = body.newWorkspace();
                for (int s = 0; s < 2; s++) {
                    sets[s] = new Buffer[1 + carried];
                    for (int i = 0; i < sets[s].length; i++) {
                        TensorSpec t = body.outputSpecs[i];
                        sets[s][i] = body.backend.allocate(t.dtype(), t.shape().numel());
                    }
                }
                this.args = new Buffer[2 + carried + captured];
            }

            Buffer iteration(Backend backend, long k) {
                while (iterationNumbers.size() <= k) {
                    iterationNumbers.add(backend.fromHost(new long[] {iterationNumbers.size()}, DType.INT64,
                            dev.janus.Device.CPU));
                }
                return iterationNumbers.get((int) k);
            }
        }

        @Override
        public Object newState(PlannedGraph plan) {
            return new State(body, writes.length, captured.length);
        }

        @Override
        public void run(PlannedGraph plan, PlannedGraph.Workspace ws, int index) {
            State st = (State) ws.stepState[index];
            Backend backend = plan.backend;
            int carried = writes.length;
            long trips = PlannedGraph.readLong(backend, ws.slots[in[0]]);
            boolean cond = PlannedGraph.readLong(backend, ws.slots[in[1]]) != 0;
            Buffer[] args = st.args;
            args[1] = ws.slots[in[1]];
            for (int c = 0; c < carried; c++) {
                args[2 + c] = ws.slots[in[2 + c]];
            }
            gather(ws, captured, args, 2 + carried);
            for (long k = 0; k < trips && cond; k++) {
                Buffer[] set = st.sets[(int) (k & 1)];
                args[0] = k < Integer.MAX_VALUE ? st.iteration(backend, k) : backend.fromHost(new long[] {k}, DType.INT64,
                        dev.janus.Device.CPU);
                body.run(st.bodyWorkspace, args, set);
                cond = PlannedGraph.readLong(backend, set[0]) != 0;
                args[1] = set[0];
                System.arraycopy(set, 1, args, 2, carried);
            }
            for (int c = 0; c < carried; c++) {
                backend.copy(args[2 + c], ws.slots[writes[c]]);
            }
            java.util.Arrays.fill(args, null);
        }
    }

    /** A fused elementwise chain; until a backend compiles it, its kernel subgraph runs as a nested plan. */
    record FusedStep(Node node, int[] reads, int[] writes, PlannedGraph kernel) implements PlannedGraph.Step {
        @Override
        public Object newState(PlannedGraph plan) {
            return new Nested(new PlannedGraph[] {kernel}, writes.length);
        }

        @Override
        public void run(PlannedGraph plan, PlannedGraph.Workspace ws, int index) {
            Nested st = (Nested) ws.stepState[index];
            if (st.inputs[0] == null) {
                st.inputs[0] = new Buffer[reads.length];
            }
            gather(ws, writes, st.outputs, 0);
            kernel.run(st.workspaces[0], gather(ws, reads, st.inputs[0], 0), st.outputs);
        }
    }
}
