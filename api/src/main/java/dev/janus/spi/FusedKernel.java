package dev.janus.spi;

/**
 * A compiled {@link ElementwiseProgram}, made by {@link Backend#compileElementwise}. It may be run any number
 * of times and from several threads at once (with different output buffers).
 */
@FunctionalInterface
public interface FusedKernel {
    /**
     * Computes the program: {@code inputs[i]} holds the program's input {@code i} (its dtype, the element
     * count of its shape), and the last step's result is written into {@code out} (the program's dtype, the
     * element count of its output shape, never one of the inputs).
     */
    void run(Buffer[] inputs, Buffer out);
}
