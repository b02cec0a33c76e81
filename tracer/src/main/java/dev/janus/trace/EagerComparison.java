package dev.janus.trace;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.Executor;
import dev.janus.graph.Node;
import dev.janus.graph.SourceLocation;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a traced graph and the eager method on the same arguments and finds the first node whose value
 * differs. The graph runs unoptimized in an interpreter that keeps every node's value; the eager method runs
 * under a {@link Dispatch.Observer} that keeps each op's output with the user source line that ran it (the
 * first stack frame outside the library, the same line the tracer gives a node). Node runs and eager ops are
 * paired by (class and line, op, dtype, occurrence): the k-th run of such a node with the k-th such op, so
 * the iterations of a loop pair up too. Nodes without an eager counterpart (the tracer's arithmetic on
 * symbolic numbers, ops the eager code ran on Java numbers) are not compared.
 */
final class EagerComparison {
    /** Values agree within {@code ATOL + RTOL * |eager|} elementwise (NaN equals NaN). */
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;
    private static final int SHOWN = 6;
    /** This class's own frames (the observer) are not the user's line. */
    private static final String TOOL = EagerComparison.class.getName();

    private EagerComparison() {}

    /** One eager op's output, copied when it ran. */
    private record EagerValue(DType dtype, long[] shape, double[] values) {}

    /** An interpreter that keeps each primitive node run and its value, in the order they ran. */
    private static final class Keeping extends Executor {
        final List<Node> nodes = new ArrayList<>();
        final List<Tensor> values = new ArrayList<>();

        Keeping(dev.janus.graph.Graph g) {
            super(g);
        }

        @Override
        protected Tensor runNode(Node node, Tensor[] args) {
            Tensor out = super.runNode(node, args);
            nodes.add(node);
            values.add(out);
            return out;
        }
    }

    static VerifyReport compare(String function, Specialization s, TraceTarget target, Object[] args) {
        Keeping graph = new Keeping(s.graph());
        Tensor[] outs = graph.run(s.signature().graphInputs(args));
        Object graphResult = s.returns().rebuild(Arrays.copyOf(outs, s.writes().resultCount()));
        Map<String, List<EagerValue>> eager = new HashMap<>();
        Object eagerResult;
        try (var seen = Dispatch.observe((op, attrs, in, out) -> eager.computeIfAbsent(key(SourceLocation.ofCallerOutside(TOOL), op,
                out.dtype()), k -> new ArrayList<>()).add(new EagerValue(out.dtype(), out.shape().dims(), out.toDoubleArray())))) {
            eagerResult = target.invokeEagerly(args);
        }
        Map<String, Integer> runs = new HashMap<>();
        Optional<VerifyReport.Divergence> first = Optional.empty();
        int compared = 0;
        for (int i = 0; i < graph.nodes.size(); i++) {
            Node n = graph.nodes.get(i);
            Tensor v = graph.values.get(i);
            String key = key(n.location(), n.op(), v.dtype());
            int run = runs.merge(key, 1, Integer::sum);
            List<EagerValue> candidates = eager.get(key);
            if (n.location().line() < 0 || candidates == null || candidates.size() < run) {
                continue;
            }
            compared++;
            EagerValue e = candidates.get(run - 1);
            if (first.isEmpty() && !close(v, e)) {
                first = Optional.of(new VerifyReport.Divergence(n.toString(), n.location(), run, summary(v.dtype(),
                        v.shape().dims(), v.toDoubleArray()), summary(e.dtype(), e.shape(), e.values()), maxAbsDiff(v, e)));
            }
        }
        return new VerifyReport(function, first, sameResult(graphResult, eagerResult), compared, graph.nodes.size());
    }

    private static String key(SourceLocation where, Op op, DType dtype) {
        return where.className() + ":" + where.line() + " " + op.opName() + " " + dtype.shortName();
    }

    private static boolean close(Tensor graph, EagerValue eager) {
        if (!Arrays.equals(graph.shape().dims(), eager.shape())) {
            return false;
        }
        double[] g = graph.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            double e = eager.values()[i];
            boolean ok = Double.isNaN(g[i]) ? Double.isNaN(e) : g[i] == e || Math.abs(g[i] - e) <= ATOL + RTOL * Math.abs(e);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The largest elementwise difference; infinite when the shapes differ, NaN where only one side is NaN. */
    private static double maxAbsDiff(Tensor graph, EagerValue eager) {
        if (!Arrays.equals(graph.shape().dims(), eager.shape())) {
            return Double.POSITIVE_INFINITY;
        }
        double[] g = graph.toDoubleArray();
        double max = 0;
        for (int i = 0; i < g.length; i++) {
            double e = eager.values()[i];
            if (Double.isNaN(g[i]) != Double.isNaN(e)) {
                return Double.NaN;
            }
            max = Double.isNaN(g[i]) || g[i] == e ? max : Math.max(max, Math.abs(g[i] - e));
        }
        return max;
    }

    /** {@code f32[2, 3] [0.5, 1.0, -2.0, ...]}. */
    static String summary(DType dtype, long[] shape, double[] values) {
        StringBuilder sb = new StringBuilder(dtype.shortName()).append(Arrays.toString(shape)).append(" [");
        for (int i = 0; i < Math.min(SHOWN, values.length); i++) {
            sb.append(i > 0 ? ", " : "").append((float) values[i]);
        }
        return sb.append(values.length > SHOWN ? ", ...]" : "]").toString();
    }

    private static boolean sameResult(Object graph, Object eager) {
        List<Tensor> g = tensors(graph);
        List<Tensor> e = tensors(eager);
        if (g == null || e == null) {
            return graph instanceof Number a && eager instanceof Number b
                    ? Math.abs(a.doubleValue() - b.doubleValue()) <= ATOL + RTOL * Math.abs(b.doubleValue())
                    : java.util.Objects.equals(graph, eager);
        }
        if (g.size() != e.size()) {
            return false;
        }
        for (int i = 0; i < g.size(); i++) {
            Tensor x = e.get(i);
            if (!close(g.get(i), new EagerValue(x.dtype(), x.shape().dims(), x.toDoubleArray()))) {
                return false;
            }
        }
        return true;
    }

    private static List<Tensor> tensors(Object o) {
        if (o instanceof Tensor t) {
            return List.of(t);
        } else if (o instanceof Tensor[] a) {
            return Arrays.asList(a);
        } else if (o instanceof List<?> l && l.stream().allMatch(Tensor.class::isInstance)) {
            return l.stream().map(Tensor.class::cast).toList();
        }
        return null;
    }
}
