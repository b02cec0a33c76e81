package dev.janus.graph;

import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import java.util.List;

/**
 * One op application: a primitive from the catalogue, its typed attributes, input values, the value it
 * defines, and the source line it was recorded from. Immutable.
 *
 * @param op       the primitive
 * @param attrs    its attributes
 * @param inputs   input values, each defined earlier in the graph
 * @param output   the value this node defines
 * @param location the Java source line that recorded it
 */
public record Node(Op op, Attrs attrs, List<Value> inputs, Value output, SourceLocation location) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    /** Text form: {@code %7:f32[64, 10] = matmul(%x, %fc1.weight) {transA=false, transB=true}   # Net.java:42}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(output.ref()).append(':').append(output.spec()).append(" = ").append(op.opName()).append('(');
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(inputs.get(i).ref());
        }
        sb.append(')');
        if (!attrs.asMap().isEmpty()) {
            sb.append(' ').append(attrs);
        }
        return sb.append("   # ").append(location).toString();
    }
}
