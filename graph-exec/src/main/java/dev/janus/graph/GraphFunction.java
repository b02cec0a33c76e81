package dev.janus.graph;

/**
 * A function recorded as a graph: what model archives, ONNX export and serving take. The bytecode tracer's
 * {@code TracedFunction} implements it, so that serialization and the runtime never depend on the tracer.
 * The signature is the graph's: input names, dtypes and dynamic dims are its input values', outputs in order.
 */
public interface GraphFunction {
    /** The graph to save or run (optimized or not; passes keep the signature). */
    Graph graph();

    /** A short name for the function, saved with it ({@code "forward"}). */
    default String name() {
        return "forward";
    }

    /** A graph as a function. */
    static GraphFunction of(Graph graph, String name) {
        return new GraphFunction() {
            @Override
            public Graph graph() {
                return graph;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
