package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Dispatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a verified graph: an interpreter with one overridable method per kind of node ({@link #runNode} for
 * primitives, {@link #runIf}, {@link #runLoop}, {@link #runFused}), in the style of torch.fx's Interpreter, so
 * profiling and debugging are subclasses. Each call keeps its values in its own {@link Environment}, so many
 * threads may run one executor at once. No autograd bookkeeping; a failing node is reported with its source
 * line ({@link GraphExecutionException}).
 *
 * <p>Ops run on the actual tensors, so when an input's dynamic dim has another size than recorded, every
 * shape downstream follows it.
 *
 * <pre>{@code
 * Tensor[] y = new Executor(graph).run(x);
 * }</pre>
 */
public class Executor {
    private final Graph graph;
    private final int slots;

    public Executor(Graph graph) {
        graph.verify();
        this.graph = graph;
        this.slots = GraphRewriter.maxId(graph) + 1;
    }

    public Graph graph() {
        return graph;
    }

    /**
     * The values of one run, by value id: ids are unique across a graph and its subgraphs, so subgraphs run
     * in their caller's environment (a loop body overwrites its values each iteration).
     */
    public static final class Environment {
        private final Tensor[] values;

        private Environment(int slots) {
            this.values = new Tensor[slots];
        }

        /** The tensor {@code v} holds in this run, or null before it is computed. */
        public Tensor get(Value v) {
            return values[v.id()];
        }

        void set(Value v, Tensor t) {
            values[v.id()] = t;
        }
    }

    /**
     * Runs the graph on {@code inputs} and returns its outputs. Each input must have its graph input's dtype,
     * rank and static dims; a dim the input marks dynamic may have any size.
     */
    public Tensor[] run(Tensor... inputs) {
        List<Value> formal = graph.inputs();
        if (inputs.length != formal.size()) {
            throw new IllegalArgumentException("the graph takes " + formal.size() + " inputs, got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            checkInput(formal.get(i), inputs[i]);
        }
        try (var g = Janus.noGrad()) {
            return runSubgraph(graph, inputs, new Environment(slots));
        }
    }

    private static void checkInput(Value formal, Tensor actual) {
        long[] expected = formal.spec().shape().dims();
        boolean ok = actual.dtype() == formal.spec().dtype() && actual.rank() == expected.length;
        for (int d = 0; ok && d < expected.length; d++) {
            ok = formal.isDynamic(d) || actual.dim(d) == expected[d];
        }
        if (!ok) {
            throw new IllegalArgumentException("graph input " + formal.ref() + " expects " + formal.typeString() + ", got "
                    + actual.dtype().shortName() + actual.shape());
        }
    }

    /**
     * Runs {@code g} (the graph itself, a branch, a loop body or a fused kernel) with its inputs bound to
     * {@code inputs}, in {@code env} (where the enclosing values it reads are), and returns its outputs.
     */
    protected final Tensor[] runSubgraph(Graph g, Tensor[] inputs, Environment env) {
        for (int i = 0; i < inputs.length; i++) {
            env.set(g.inputs().get(i), inputs[i]);
        }
        for (Map.Entry<Value, Tensor> p : g.parameters().entrySet()) {
            env.set(p.getKey(), p.getValue().detach());
        }
        for (Map.Entry<Value, Tensor> c : g.constants().entrySet()) {
            env.set(c.getKey(), c.getValue());
        }
        for (Node n : g.nodes()) {
            Tensor[] args = new Tensor[n.inputs().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = env.get(n.inputs().get(i));
            }
            Tensor[] outs = execute(n, args, env);
            for (int i = 0; i < outs.length; i++) {
                env.set(n.outputs().get(i), outs[i]);
            }
        }
        Tensor[] out = new Tensor[g.outputs().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = env.get(g.outputs().get(i));
        }
        return out;
    }

    private Tensor[] execute(Node n, Tensor[] args, Environment env) {
        try {
            return switch (n.op()) {
                case IF -> runIf(n, args, env);
                case LOOP -> runLoop(n, args, env);
                case FUSED -> runFused(n, args, env);
                default -> new Tensor[] {runNode(n, args)};
            };
        } catch (GraphExecutionException e) {
            throw e; // already names the innermost node
        } catch (RuntimeException e) {
            throw new GraphExecutionException(n, e);
        }
    }

    /** Runs one primitive node on concrete inputs; override to observe or replace node execution. */
    protected Tensor runNode(Node node, Tensor[] args) {
        return Dispatch.apply(node.op(), node.attrs(), args);
    }

    /** Runs the branch {@code args[0]} selects; the branches read enclosing values from {@code env}. */
    protected Tensor[] runIf(Node node, Tensor[] args, Environment env) {
        boolean cond = condition(node, args[0], "the condition");
        return runSubgraph(node.subgraphs().get(cond ? 0 : 1), new Tensor[0], env);
    }

    /**
     * ONNX Loop: while {@code i < tripCount && cond}, runs the body on (i, cond, carried...) and takes the next
     * cond and carried values from its outputs; returns the final carried values, then each scanned value
     * stacked along a new first axis (length 0 when the body never ran).
     */
    protected Tensor[] runLoop(Node node, Tensor[] args, Environment env) {
        Graph body = node.subgraphs().get(0);
        int carriedCount = args.length - 2;
        int scannedCount = node.outputs().size() - carriedCount;
        long tripCount = tripCount(node, args[0]);
        Tensor cond = args[1];
        Tensor[] carried = java.util.Arrays.copyOfRange(args, 2, args.length);
        List<List<Tensor>> scans = new ArrayList<>();
        for (int s = 0; s < scannedCount; s++) {
            scans.add(new ArrayList<>());
        }
        for (long i = 0; i < tripCount && condition(node, cond, "the condition"); i++) {
            Tensor[] in = new Tensor[2 + carriedCount];
            in[0] = Tensor.scalar(i, DType.INT64);
            in[1] = cond;
            System.arraycopy(carried, 0, in, 2, carriedCount);
            Tensor[] out = runSubgraph(body, in, env);
            cond = out[0];
            for (int k = 0; k < carriedCount; k++) {
                checkCarriedShape(node, k, carried[k], out[1 + k], i);
                carried[k] = out[1 + k];
            }
            for (int s = 0; s < scannedCount; s++) {
                scans.get(s).add(out[1 + carriedCount + s]);
            }
        }
        Tensor[] result = new Tensor[node.outputs().size()];
        System.arraycopy(carried, 0, result, 0, carriedCount);
        for (int s = 0; s < scannedCount; s++) {
            Value each = body.outputs().get(1 + carriedCount + s);
            result[carriedCount + s] = stack(scans.get(s), each);
        }
        return result;
    }

    /** Runs a fused node by interpreting its kernel subgraph; a compiling executor overrides this. */
    protected Tensor[] runFused(Node node, Tensor[] args, Environment env) {
        return runSubgraph(node.subgraphs().get(0), args, env);
    }

    private static Tensor stack(List<Tensor> values, Value each) {
        if (!values.isEmpty()) {
            return Tensor.stack(0, values);
        }
        long[] dims = each.spec().shape().dims();
        long[] empty = new long[dims.length + 1];
        System.arraycopy(dims, 0, empty, 1, dims.length);
        return Tensor.zeros(each.spec().dtype(), empty);
    }

    private static long tripCount(Node node, Tensor t) {
        if (t.rank() != 0 || t.dtype() != DType.INT64) {
            throw new GraphExecutionException(node, new IllegalStateException("the trip count must be an i64 scalar, got "
                    + t.dtype().shortName() + t.shape()));
        }
        return t.itemLong();
    }

    private static boolean condition(Node node, Tensor t, String what) {
        if (t.rank() != 0 || t.dtype() != DType.BOOL) {
            throw new GraphExecutionException(node, new IllegalStateException(what + " must be a bool scalar, got "
                    + t.dtype().shortName() + t.shape()));
        }
        return t.toBooleanArray()[0];
    }

    /** A carried value keeps its shape from one iteration to the next, except in the dims it marks dynamic. */
    private static void checkCarriedShape(Node node, int k, Tensor before, Tensor after, long iteration) {
        Value slot = node.outputs().get(k);
        boolean ok = after.dtype() == before.dtype() && after.rank() == before.rank();
        for (int d = 0; ok && d < before.rank(); d++) {
            ok = slot.isDynamic(d) || after.dim(d) == before.dim(d);
        }
        if (!ok) {
            throw new GraphExecutionException(node, new IllegalStateException("carried value " + k + " (" + slot.typeString()
                    + ") changes from " + before.dtype().shortName() + before.shape() + " to " + after.dtype().shortName()
                    + after.shape() + " in iteration " + iteration + "; only a dynamic dim may change"));
        }
    }
}
