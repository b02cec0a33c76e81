package dev.janus.graph;

import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.List;

/**
 * One op application: an op from the catalogue, its typed attributes, input values, the values it defines,
 * the subgraphs of a control op ({@link Op#IF}, {@link Op#LOOP}, {@link Op#FUSED}), and the source line it
 * was recorded from. A primitive defines exactly one value and has no subgraphs. Immutable.
 *
 * @param op        the op
 * @param attrs     its attributes
 * @param inputs    input values, each defined earlier in the graph (or, in a subgraph, in an enclosing graph)
 * @param outputs   the values this node defines
 * @param subgraphs the bodies of a control op, in the op's order (then/else; loop body; fused body)
 * @param location  the Java source line that recorded it
 */
public record Node(Op op, Attrs attrs, List<Value> inputs, List<Value> outputs, List<Graph> subgraphs,
        SourceLocation location) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        subgraphs = List.copyOf(subgraphs);
        boolean control = op.kind() == Op.Kind.CONTROL;
        if (!control && (outputs.size() != 1 || !subgraphs.isEmpty())) {
            throw new IllegalArgumentException("primitive '" + op.opName() + "' defines one value and has no subgraphs");
        }
        if (control && subgraphs.isEmpty()) {
            throw new IllegalArgumentException("control op '" + op.opName() + "' needs its subgraphs");
        }
    }

    /** A primitive node defining {@code output}. */
    public Node(Op op, Attrs attrs, List<Value> inputs, Value output, SourceLocation location) {
        this(op, attrs, inputs, List.of(output), List.of(), location);
    }

    /** The single value a primitive (or a one-output control node) defines. */
    public Value output() {
        if (outputs.size() != 1) {
            throw new IllegalStateException("node '" + op.opName() + "' defines " + outputs.size() + " values; use outputs()");
        }
        return outputs.get(0);
    }

    /** Every value this node reads: its inputs, then the enclosing values its subgraphs capture. */
    public List<Value> uses() {
        if (subgraphs.isEmpty()) {
            return inputs;
        }
        java.util.Set<Value> all = new java.util.LinkedHashSet<>(inputs);
        for (Graph g : subgraphs) {
            all.addAll(g.capturedValues());
        }
        return List.copyOf(all);
    }

    /** True for {@link Op.Kind#CONTROL} ops, which carry subgraphs. */
    public boolean isControl() {
        return !subgraphs.isEmpty();
    }

    /**
     * Text form: {@code %7:f32[64, 10] = matmul(%x, %fc1.weight) {transA=false, transB=true}   # Net.java:42};
     * a control node's subgraphs follow on indented lines.
     */
    @Override
    public String toString() {
        return toString("");
    }

    /** The text form with every line after the first prefixed by {@code indent} (for nested subgraphs). */
    String toString(String indent) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < outputs.size(); i++) {
            Value v = outputs.get(i);
            sb.append(i > 0 ? ", " : "").append(v.ref()).append(':').append(v.typeString());
        }
        sb.append(" = ").append(op.opName()).append('(');
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(inputs.get(i).ref());
        }
        sb.append(')');
        if (!attrs.asMap().isEmpty()) {
            sb.append(' ').append(attrs);
        }
        sb.append("   # ").append(location);
        for (int i = 0; i < subgraphs.size(); i++) {
            sb.append('\n').append(indent).append("    ").append(subgraphLabel(i)).append(": ");
            sb.append(subgraphs.get(i).toString(indent + "    ").stripTrailing());
        }
        return sb.toString();
    }

    private String subgraphLabel(int i) {
        return switch (op) {
            case IF -> i == 0 ? "then" : "else";
            case LOOP -> "body";
            case FUSED -> "kernel";
            default -> "subgraph " + i;
        };
    }
}
