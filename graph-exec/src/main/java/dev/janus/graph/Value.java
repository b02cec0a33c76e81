package dev.janus.graph;

import dev.janus.ops.TensorSpec;

/**
 * One SSA value of a graph: defined once (by a graph input, a parameter, a constant or a node) and typed.
 * Values compare by identity; {@link #id()} is their number in the text form ({@code %7}).
 *
 * <p>The shape in {@link #spec()} is the one recorded; dims flagged {@link #isDynamic dynamic} (a batch of
 * unknown size, the length of a loop's scanned output) may differ from call to call and print as {@code ?}.
 * The executor re-infers every shape from the actual inputs once per input-shape signature.
 */
public final class Value {
    private final int id;
    private final TensorSpec spec;
    private final String name;
    private final long dynamicDims;

    Value(int id, TensorSpec spec, String name) {
        this(id, spec, name, 0L);
    }

    Value(int id, TensorSpec spec, String name, long dynamicDims) {
        if (spec.shape().rank() < 64 && (dynamicDims >>> spec.shape().rank()) != 0) {
            throw new IllegalArgumentException("dynamic dims " + Long.toBinaryString(dynamicDims) + " outside rank "
                    + spec.shape().rank());
        }
        this.id = id;
        this.spec = spec;
        this.name = name;
        this.dynamicDims = dynamicDims;
    }

    /**
     * A value for a graph rebuilt outside this package (a model archive being loaded): the same as the values
     * capture makes. Throws {@link IllegalArgumentException} when a dynamic dim lies outside the rank.
     *
     * <pre>{@code Value x = Value.of(0, new TensorSpec(DType.FLOAT32, Shape.of(4, 784)), "x", 1L);  // f32[?, 784]}</pre>
     */
    public static Value of(int id, TensorSpec spec, String name, long dynamicDims) {
        return new Value(id, spec, name, dynamicDims);
    }

    public int id() {
        return id;
    }

    /** Element type and the recorded shape. */
    public TensorSpec spec() {
        return spec;
    }

    /** The user-facing name (input name or parameter path), or null. */
    public String name() {
        return name;
    }

    /** Bit {@code i} set when dim {@code i} is dynamic. */
    public long dynamicDims() {
        return dynamicDims;
    }

    /** True when dim {@code axis} may change from call to call. */
    public boolean isDynamic(int axis) {
        return (dynamicDims >>> axis & 1L) != 0;
    }

    /** {@code %7}, or {@code %fc1.weight} for named values. */
    public String ref() {
        return name == null ? "%" + id : "%" + name;
    }

    /** {@code f32[?, 128]}: dtype and shape, dynamic dims as {@code ?}. */
    public String typeString() {
        if (dynamicDims == 0) {
            return spec.toString();
        }
        StringBuilder sb = new StringBuilder(spec.dtype().shortName()).append('[');
        long[] dims = spec.shape().dims();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(isDynamic(i) ? "?" : Long.toString(dims[i]));
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        return ref() + ":" + typeString();
    }
}
