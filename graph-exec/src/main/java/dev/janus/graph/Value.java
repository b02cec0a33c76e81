package dev.janus.graph;

import dev.janus.ops.TensorSpec;

/**
 * One SSA value of a graph: defined once (by a graph input, a parameter, a constant or a node) and typed.
 * Values compare by identity; {@link #id()} is their number in the text form ({@code %7}).
 */
public final class Value {
    private final int id;
    private final TensorSpec spec;
    private final String name;

    Value(int id, TensorSpec spec, String name) {
        this.id = id;
        this.spec = spec;
        this.name = name;
    }

    public int id() {
        return id;
    }

    /** Element type and shape. */
    public TensorSpec spec() {
        return spec;
    }

    /** The user-facing name (input name or parameter path), or null. */
    public String name() {
        return name;
    }

    /** {@code %7}, or {@code %fc1.weight} for named values. */
    public String ref() {
        return name == null ? "%" + id : "%" + name;
    }

    @Override
    public String toString() {
        return ref() + ":" + spec;
    }
}
