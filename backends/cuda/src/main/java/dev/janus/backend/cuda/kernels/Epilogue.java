package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.spi.ElementwiseProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * The elementwise part of a GEMM-epilogue program ({@code relu(x @ wᵀ + b)}): the matmul runs through cuBLAS into a
 * scratch buffer, and this kernel reads that product as its last input. Inputs only the matmul reads are left out.
 *
 * <pre>{@code
 * // program inputs x, w, b; steps matmul(0, 1) = 3, add(3, 2) = 4, relu(4) = 5
 * Epilogue e = Epilogue.of(program); // e.inputs() = {2}; kernel inputs: b = 0, product = 1; steps add(1, 0), relu(2)
 * }</pre>
 *
 * @param spec   the kernel: the kept program inputs in order, then the product
 * @param inputs which program inputs the kernel reads, in kernel order (the product not included)
 */
public record Epilogue(KernelSpec spec, int[] inputs) {
    public Epilogue {
        inputs = inputs.clone();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    /**
     * The epilogue of a program whose step 0 is a matmul.
     *
     * @throws UnsupportedKernelException when a step has no CUDA code, or the program has no step after the matmul
     */
    public static Epilogue of(ElementwiseProgram p) {
        if (!p.startsWithMatmul() || p.steps().size() < 2) {
            throw new UnsupportedKernelException("not a matmul followed by elementwise steps");
        }
        int n = p.numInputs();
        int[] newIndex = new int[n];
        List<Integer> kept = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            newIndex[v] = -1;
            if (readAfterMatmul(p, v)) {
                newIndex[v] = kept.size();
                kept.add(v);
            }
        }
        int product = kept.size();
        List<DType> types = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        kept.forEach(v -> {
            types.add(p.dtype());
            shapes.add(p.inputShapes().get(v));
        });
        types.add(p.dtype());
        shapes.add(p.outShape());
        List<KernelSpec.TypedStep> steps = new ArrayList<>();
        for (int k = 1; k < p.steps().size(); k++) {
            int[] args = p.steps().get(k).args();
            for (int i = 0; i < args.length; i++) {
                // program value n is the product; n + k (k >= 1) is step k, now numbered after product + 1 inputs
                args[i] = args[i] < n ? newIndex[args[i]] : args[i] == n ? product : args[i] - n + product;
            }
            steps.add(new KernelSpec.TypedStep(p.steps().get(k).op(), p.dtype(), args));
        }
        KernelSpec spec = new KernelSpec(types, shapes, p.outShape(), steps);
        spec.checkSupported();
        return new Epilogue(spec, kept.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean readAfterMatmul(ElementwiseProgram p, int v) {
        for (int k = 1; k < p.steps().size(); k++) {
            for (int a : p.steps().get(k).args()) {
                if (a == v) {
                    return true;
                }
            }
        }
        return false;
    }
}
