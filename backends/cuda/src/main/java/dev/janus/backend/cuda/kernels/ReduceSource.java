package dev.janus.backend.cuda.kernels;

/**
 * The generated CUDA C of one reduction structure (op, dtypes, number of kept and reduced axes). Its signature is
 * {@code name(out, in, long long n, long long r, kept dims, kept strides, reduced dims, reduced strides)};
 * {@link ReduceSpec#scalarArgs()} gives the numbers after the two pointers.
 */
public record ReduceSource(String name, String kernel) implements GeneratedKernel {}
