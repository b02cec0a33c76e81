package dev.janus.io;

import dev.janus.ops.TensorSpec;
import java.util.List;

/**
 * What a saved function takes and returns: named inputs and outputs with their dtypes, recorded shapes and
 * dynamic dims. Printed as {@code (x:f32[?, 784]) -> (output0:f32[?, 10])}.
 *
 * @param inputs  the inputs, in the order {@link LoadedModel#run(dev.janus.Tensor...)} takes them
 * @param outputs the outputs, in the order it returns them
 */
public record Signature(List<Slot> inputs, List<Slot> outputs) {
    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * One input or output.
     *
     * @param name        unique among the inputs (or among the outputs)
     * @param spec        dtype and the recorded shape
     * @param dynamicDims bit {@code i} set when dim {@code i} may take any size
     */
    public record Slot(String name, TensorSpec spec, long dynamicDims) {
        /** True when dim {@code axis} may take any size. */
        public boolean isDynamic(int axis) {
            return (dynamicDims >>> axis & 1L) != 0;
        }

        /** {@code x:f32[?, 784]}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(name).append(':').append(spec.dtype().shortName()).append('[');
            long[] dims = spec.shape().dims();
            for (int i = 0; i < dims.length; i++) {
                sb.append(i > 0 ? ", " : "").append(isDynamic(i) ? "?" : Long.toString(dims[i]));
            }
            return sb.append(']').toString();
        }
    }

    /** The input named {@code name}'s position, or -1. */
    public int inputIndex(String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < inputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(inputs.get(i));
        }
        sb.append(") -> (");
        for (int i = 0; i < outputs.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(outputs.get(i));
        }
        return sb.append(')').toString();
    }
}
