package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.TensorSpec;

/**
 * The declared type of a graph input: an example type, an optional name, and which dims are dynamic.
 *
 * <pre>{@code
 * InputSpec x = InputSpec.of(DType.FLOAT32, 64, 784).dynamic(0);   // any batch size
 * }</pre>
 *
 * @param name        the input's name in the graph ({@code %x}), or null for a default
 * @param spec        the example type the function is recorded with
 * @param dynamicDims bit i set when dim i may change from call to call
 */
public record InputSpec(String name, TensorSpec spec, long dynamicDims) {
    public static InputSpec of(TensorSpec spec) {
        return new InputSpec(null, spec, 0L);
    }

    public static InputSpec of(DType dtype, long... dims) {
        return of(new TensorSpec(dtype, Shape.of(dims)));
    }

    /** This spec with {@code axes} dynamic (negative axes count from the end). */
    public InputSpec dynamic(int... axes) {
        long mask = dynamicDims;
        for (int a : axes) {
            mask |= 1L << spec.shape().axis(a);
        }
        return new InputSpec(name, spec, mask);
    }

    public InputSpec named(String newName) {
        return new InputSpec(newName, spec, dynamicDims);
    }
}
