package dev.janus.graph;

import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import java.util.List;

/**
 * Which dims of a recorded node's output are dynamic. Shape rules are concrete, so instead of symbolic
 * arithmetic the rule is run a second time with every dynamic input dim enlarged: the output dims that move
 * are dynamic (the trick JAX's shape polymorphism checks by hand). An op that pins a dynamic size (a reshape
 * to a literal shape, an expand, a slice to a fixed length) gives a static output, and the executor reports
 * a clear error if a call then brings another size.
 */
final class DynamicDims {
    /** Added to each dynamic dim for the second inference; odd and > 1 so it does not collide with broadcasting. */
    private static final long PROBE = 7;

    private DynamicDims() {}

    /**
     * The attributes to record. A reshape of a dynamic input to a literal target that repeats the dynamic
     * size (a flatten: {@code x.reshape(batch, -1)} resolved by the caller to {@code [64, 400]}) gets
     * {@code -1} in that place, so the graph serves every batch size.
     */
    static Attrs generalize(Op op, Attrs attrs, List<Value> inputs) {
        if (op != Op.RESHAPE || inputs.get(0).dynamicDims() == 0 || probe(op, attrs, inputs) != null) {
            return attrs;
        }
        Value in = inputs.get(0);
        long[] target = attrs.longs("shape");
        long[] dims = in.spec().shape().dims();
        for (long t : target) {
            if (t == -1) {
                return attrs;
            }
        }
        for (int d = 0; d < dims.length; d++) {
            if (in.isDynamic(d) && d < target.length && target[d] == dims[d]) {
                target[d] = -1;
                Attrs general = Attrs.of("shape", target);
                return probe(op, general, inputs) != null ? general : attrs;
            }
        }
        return attrs;
    }

    /** Bit i set when output dim i changes with the inputs' dynamic dims. */
    static long of(Op op, Attrs attrs, List<Value> inputs, TensorSpec out) {
        boolean anyDynamic = false;
        for (Value v : inputs) {
            anyDynamic |= v.dynamicDims() != 0;
        }
        if (!anyDynamic) {
            return 0;
        }
        TensorSpec probed = probe(op, attrs, inputs);
        if (probed == null || probed.shape().rank() != out.shape().rank()) {
            return 0;
        }
        long mask = 0;
        for (int i = 0; i < out.shape().rank(); i++) {
            if (probed.shape().dim(i) != out.shape().dim(i)) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** The output type with every dynamic input dim enlarged by {@link #PROBE}, or null when the rule rejects it. */
    private static TensorSpec probe(Op op, Attrs attrs, List<Value> inputs) {
        TensorSpec[] specs = new TensorSpec[inputs.size()];
        for (int i = 0; i < specs.length; i++) {
            Value v = inputs.get(i);
            long[] dims = v.spec().shape().dims();
            for (int d = 0; d < dims.length; d++) {
                if (v.isDynamic(d)) {
                    dims[d] += PROBE;
                }
            }
            specs[i] = new TensorSpec(v.spec().dtype(), Shape.of(dims));
        }
        try {
            return ShapeRules.infer(op, attrs, specs);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
