package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphFunction;
import dev.janus.graph.InputSpec;
import dev.janus.graph.StatefulCapture;
import dev.janus.graph.Value;
import dev.janus.graph.passes.EliminateDeadCode;
import dev.janus.graph.passes.PassManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import org.objectweb.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A traced method: calls run its graph. Each graph holds under guards (input dtypes and sizes, the values of
 * non-dynamic scalar arguments...); a call that breaks them traces again, as {@link RetracePolicy} says,
 * and the new graph joins a small cache. Thread-safe.
 *
 * <pre>{@code
 * TracedFunction<Tensor> f = Tracer.trace(TraceOptions.defaults().dynamicScalars(1), Rnn::forward, rnn, h0, 5);
 * Tensor h = f.call(h0, 50);            // same graph, 50 iterations
 * System.out.println(f.explain());      // the graph with source lines, and its guards
 * }</pre>
 */
public final class TracedFunction<O> implements GraphFunction {
    private static final Logger LOG = LoggerFactory.getLogger(TracedFunction.class);

    private final TraceTarget target;
    private TraceOptions options;
    /** Most recently used first. */
    private final LinkedList<Specialization> cache = new LinkedList<>();
    private final List<String> retraceReasons = new ArrayList<>();
    private int traceCount;
    private long lastTraceNanos;

    TracedFunction(TraceTarget target, TraceOptions options, Object[] examples) {
        this.target = target;
        this.options = options;
        cache.add(trace(examples));
    }

    /**
     * Runs the graph whose guards {@code args} pass (tracing a new one first when none does) and returns what
     * the method would: a tensor, a list or array of tensors, or a number.
     */
    public O call(Object... args) {
        Specialization s = specializationFor(args);
        Tensor[] outs = s.compiled().run(s.signature().graphInputs(args));
        return result(s.returns().rebuild(s.writes().writeBack(outs)));
    }

    // NOTE: the method's declared result type is only known to the caller's generic signature; the plan rebuilt
    // exactly the value the method returns, so the cast holds for every typed trace form.
    @SuppressWarnings("unchecked")
    private O result(Object o) {
        return (O) o;
    }

    private synchronized Specialization specializationFor(Object[] args) {
        for (var it = cache.listIterator(); it.hasNext(); ) {
            Specialization s = it.next();
            if (s.mismatch(args, target.receiver()) == null) {
                it.remove();
                cache.addFirst(s);
                return s;
            }
        }
        String reason = cache.getFirst().mismatch(args, target.receiver());
        if (options.policy() == RetracePolicy.FAIL) {
            throw new TraceException("a call of " + target.display() + " that breaks the guards of its graph (" + reason
                    + ") while the retrace policy is FAIL; mark the changing dims or scalars dynamic in TraceOptions");
        } else if (options.policy() == RetracePolicy.GENERALIZE) {
            options = generalized(cache.getFirst(), args);
        }
        LOG.warn("retracing {} (trace {}): {}", target.display(), traceCount + 1, reason);
        retraceReasons.add(reason);
        Specialization s = trace(args);
        cache.addFirst(s);
        if (cache.size() > options.maxGraphs()) {
            cache.removeLast();
            LOG.warn("{} keeps at most {} graphs; dropped the least recently used", target.display(), options.maxGraphs());
        }
        return s;
    }

    /** The options with every tensor dim whose guard {@code args} break made dynamic. */
    private TraceOptions generalized(Specialization s, Object[] args) {
        TraceOptions o = options;
        for (Guard g : s.guards()) {
            if (g.kind() == Guard.Kind.DIM && args.length == s.signature().arity() && g.check(args[g.arg()]) != null) {
                o = o.dynamicDims(g.arg(), g.dim());
            }
        }
        return o;
    }

    private Specialization trace(Object[] args) {
        long start = System.nanoTime();
        Signature sig = Signature.of(options, args, target.userParams(), target.userNames(), target.receiver());
        TraceSession session = new TraceSession(target.userNames());
        ReturnPlan[] plan = new ReturnPlan[1];
        StatefulCapture capture;
        try {
            capture = StatefulCapture.capture(target.parameterNames(args), in -> {
                List<TraceValue> all = target.fullArgs(sig.abstractArgs(in, session));
                TraceValue ret = Activation.invokeTop(session, target.owner(), target.name(), target.desc(),
                        target.opcode(), all);
                List<Tensor> outs = new ArrayList<>();
                plan[0] = ReturnPlan.of(ret, Type.getReturnType(target.desc()), outs, target.display(), session);
                return outs;
            }, sig.inputSpecs().toArray(InputSpec[]::new));
        } catch (TraceThrow t) {
            throw t.toTraceException();
        }
        // drops what the tracer recorded but nothing reads
        Graph g = PassManager.of(new EliminateDeadCode()).apply(capture.graph());
        List<Guard> guards = new ArrayList<>(sig.guards());
        session.readGuards().stream().filter(x -> !guards.contains(x)).forEach(guards::add);
        CompiledGraph compiled = new CompiledGraph(PassManager.forExecution().apply(g));
        traceCount++;
        long nanos = System.nanoTime() - start;
        lastTraceNanos = nanos;
        LOG.debug("traced {} in {} ms", target.display(), nanos / 1e6);
        return new Specialization(sig, List.copyOf(guards), g, compiled, plan[0], capture, nanos);
    }

    /**
     * Runs the graph for {@code args} (unoptimized, keeping every node's value) and then the eager method on
     * the same arguments, and reports whether they agree; if not, the first graph node whose value differs from
     * the eager op at the same source line (a value the trace baked in that has changed since, say). The
     * graph's writes (a training step's updates) are not carried out; the eager method's are, since it runs.
     *
     * <pre>{@code
     * VerifyReport r = f.verifyAgainstEager(x);
     * if (!r.agrees()) System.out.println(r);   // the node, its line, both values, the largest difference
     * }</pre>
     */
    public VerifyReport verifyAgainstEager(Object... args) {
        return EagerComparison.compare(target.display(), specializationFor(args), target, args);
    }

    /** The graph most recently used (as traced: every node carries its source line). */
    @Override
    public synchronized Graph graph() {
        return cache.getFirst().graph();
    }

    /** The traced method's name: what archives record as the function name. */
    @Override
    public String name() {
        return target.name();
    }

    /** The guards of {@link #graph()}. */
    public synchronized List<Guard> guards() {
        return cache.getFirst().guards();
    }

    /** How many times the method has been traced (1 after {@link Tracer#trace}, +1 per retrace). */
    public synchronized int traceCount() {
        return traceCount;
    }

    /** Why each retrace happened, oldest first: {@code arg 0 (x): dim 0 was 32, now 64}. */
    public synchronized List<String> retraceReasons() {
        return List.copyOf(retraceReasons);
    }

    /** How long the most recent trace took (interpretation, recording and compiling the graph). */
    public synchronized Duration lastTraceTime() {
        return Duration.ofNanos(lastTraceNanos);
    }

    /** The current graph with its source lines, its guards, and the retraces so far, as text. */
    public synchronized String explain() {
        Specialization s = cache.getFirst();
        StringBuilder sb = new StringBuilder();
        sb.append("traced ").append(target.display()).append(": ").append(traceCount).append(traceCount == 1 ? " trace, "
                : " traces, ").append(cache.size()).append(cache.size() == 1 ? " graph" : " graphs").append(" cached; this one "
                + "traced in ").append(String.format("%.1f", s.traceNanos() / 1e6)).append(" ms\n");
        sb.append("guards (a call that breaks one traces again):\n");
        s.guards().forEach(g -> sb.append("  ").append(g).append('\n'));
        sb.append("graph (# file:line where each node was recorded):\n");
        sb.append(s.graph().toString().indent(2));
        if (s.writes().writes()) {
            sb.append("writes (after each call, the last outputs are written into these live tensors):\n");
            writtenNames(s).forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        if (!retraceReasons.isEmpty()) {
            sb.append("retraces:\n");
            for (int i = 0; i < retraceReasons.size(); i++) {
                sb.append("  ").append(i + 1).append(". ").append(retraceReasons.get(i)).append('\n');
            }
        }
        return sb.toString();
    }

    /** What each call writes: {@code %fc1.weight <- %57}, the parameter and the output written into it. */
    private static List<String> writtenNames(Specialization s) {
        List<String> lines = new ArrayList<>();
        List<Value> outs = s.graph().outputs();
        for (int i = 0; i < s.writes().targets().size(); i++) {
            Tensor t = s.writes().targets().get(i);
            String name = "a " + t.dtype().shortName() + t.shape() + " tensor";
            for (var p : s.graph().parameters().entrySet()) {
                if (p.getValue() == t) {
                    name = p.getKey().ref();
                }
            }
            lines.add(name + " <- " + outs.get(s.writes().resultCount() + i).ref());
        }
        return lines;
    }

    @Override
    public String toString() {
        return "TracedFunction(" + target.display() + ", " + traceCount + " traces)";
    }
}
