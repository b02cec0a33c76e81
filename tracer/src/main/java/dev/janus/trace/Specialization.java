package dev.janus.trace;

import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Graph;
import dev.janus.graph.StatefulCapture;
import java.util.ArrayList;
import java.util.List;

/**
 * One traced graph and the guards under which it may run: the cache entry of a {@link TracedFunction}.
 *
 * @param graph    the graph as traced (every node with its source line)
 * @param compiled the graph after the execution passes, ready to run
 * @param writes   the live tensors a run writes (parameters and optimizer state in a training step), written
 *                 back from the graph's outputs after the results
 */
record Specialization(Signature signature, List<Guard> guards, Graph graph, CompiledGraph compiled,
        ReturnPlan returns, StatefulCapture writes, long traceNanos) {

    /** Null when a call with {@code args} on {@code receiver} may use this graph, else each broken guard. */
    String mismatch(Object[] args, Object receiver) {
        if (args.length != signature.arity()) {
            return "the traced method takes " + signature.arity() + " arguments, got " + args.length;
        }
        List<String> broken = null; // made only when a guard fails: this runs on every call
        for (Guard g : guards) {
            String why = g.check(g.arg() < 0 ? receiver : args[g.arg()]);
            if (why != null) {
                if (broken == null) {
                    broken = new ArrayList<>();
                }
                broken.add(why);
            }
        }
        return broken == null ? null : String.join("; ", broken);
    }
}
