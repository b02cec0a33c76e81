package dev.janus.backend.cuda.kernels;

/**
 * The generated CUDA C of a gather or scatter-add ({@link IndexWriter}) for one value dtype, index dtype and rank.
 *
 * @param gather true for GATHER, false for SCATTER_ADD
 */
public record IndexKernel(String name, String kernel, boolean gather) implements GeneratedKernel {}
