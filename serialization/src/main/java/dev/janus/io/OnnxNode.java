package dev.janus.io;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import dev.janus.io.onnx.OnnxProto.AttributeProto;
import dev.janus.io.onnx.OnnxProto.AttributeType;
import dev.janus.io.onnx.OnnxProto.NodeProto;
import java.util.List;

/**
 * One ONNX node being imported: its inputs resolved to Janus tensors (symbolic, or concrete when they are
 * constants), typed attribute access with the specification's defaults, and errors that name the node.
 */
final class OnnxNode {
    final NodeProto proto;
    final long opset;
    private final Tensor[] inputs;

    OnnxNode(NodeProto proto, long opset, Tensor[] inputs) {
        this.proto = proto;
        this.opset = opset;
        this.inputs = inputs;
    }

    String op() {
        return proto.opType();
    }

    /** Input {@code i}; fails when it is missing. */
    Tensor in(int i) {
        Tensor t = i < inputs.length ? inputs[i] : null;
        if (t == null) {
            throw malformed("needs input " + i);
        }
        return t;
    }

    /** True when optional input {@code i} is given (present and not the empty name). */
    boolean has(int i) {
        return i < inputs.length && inputs[i] != null;
    }

    int inputCount() {
        return inputs.length;
    }

    /** How many outputs the node names (trailing optional outputs may be left out or named ""). */
    int outputCount() {
        int n = proto.outputs().size();
        while (n > 0 && proto.outputs().get(n - 1).isEmpty()) {
            n--;
        }
        return n;
    }

    /** The values of input {@code i}, which must be a constant (an initializer, or computed from constants). */
    long[] constLongs(int i) {
        Tensor t = constant(i);
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            return t.cast(DType.INT64).toLongArray();
        }
    }

    double[] constDoubles(int i) {
        Tensor t = constant(i);
        try (var eager = dev.janus.ops.Dispatch.record(null)) {
            return t.cast(DType.FLOAT64).toDoubleArray();
        }
    }

    Tensor constant(int i) {
        Tensor t = in(i);
        if (t instanceof SymbolicTensor) {
            throw unsupported("input " + i + " ('" + proto.inputs().get(i) + "') must be a constant (an initializer or "
                    + "computed from constants): Janus graphs have static shapes and attributes");
        }
        return t;
    }

    AttributeProto attr(String name) {
        return proto.attribute(name);
    }

    long i(String name, long fallback) {
        AttributeProto a = attr(name);
        return a == null ? fallback : a.i();
    }

    float f(String name, float fallback) {
        AttributeProto a = attr(name);
        return a == null ? fallback : a.f();
    }

    String s(String name, String fallback) {
        AttributeProto a = attr(name);
        return a == null ? fallback : a.stringValue();
    }

    /** An INTS attribute, or null when absent. */
    long[] ints(String name) {
        AttributeProto a = attr(name);
        if (a == null) {
            return null;
        }
        if (a.type() != AttributeType.INTS) {
            throw malformed("attribute '" + name + "' must be INTS, is " + a.type());
        }
        return a.ints();
    }

    /** Axes given by attribute {@code name} (older opsets) or by input {@code input} (newer); null when neither. */
    long[] axes(String name, int input) {
        long[] a = ints(name);
        if (a != null) {
            return a;
        }
        return has(input) ? constLongs(input) : null;
    }

    UnsupportedOperationException unsupported(String why) {
        return new UnsupportedOperationException("ONNX op '" + op() + "'" + label() + ": " + why);
    }

    IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("ONNX op '" + op() + "'" + label() + ": " + why);
    }

    private String label() {
        return proto.name().isEmpty() ? "" : " (node '" + proto.name() + "')";
    }

    List<String> outputNames() {
        return proto.outputs();
    }
}
