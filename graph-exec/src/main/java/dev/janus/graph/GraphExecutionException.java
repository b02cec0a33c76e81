package dev.janus.graph;

/** A failure while running a graph, naming the node and the Java source line it was recorded from. */
public class GraphExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Node node;

    public GraphExecutionException(Node node, RuntimeException cause) {
        super("graph node failed at " + node.location() + ": " + firstLine(node) + "\n  caused by: " + cause.getMessage(),
                cause);
        this.node = node;
    }

    /** A control node's text without its subgraphs, which can be long. */
    private static String firstLine(Node node) {
        String s = node.toString();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The node that failed. */
    public Node node() {
        return node;
    }
}
