package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.backend.cuda.kernels.CudaKernels;
import dev.janus.backend.cuda.kernels.CustomKernel;
import dev.janus.backend.cuda.kernels.Epilogue;
import dev.janus.backend.cuda.kernels.KernelSource;
import dev.janus.backend.cuda.kernels.KernelSpec;
import dev.janus.backend.cuda.kernels.ReduceSpec;
import dev.janus.backend.cuda.kernels.UnsupportedKernelException;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;

/**
 * Where each op runs on the GPU: elementwise ops, expand and reductions as generated kernels, matmul through {@link Gemm} when one strided
 * call expresses it, convolutions and max pooling through {@link WindowOps} (im2col kernels and the GEMM), gather and scatter-add
 * through {@link IndexOps}, reshape and stop-gradient as the input buffer itself, everything else through
 * {@link HostFallback}. It sees the device only through its interfaces, so its decisions are tested with fakes.
 */
final class CudaExecutor {
    /** Which path an op took: what tests and logs ask. */
    enum Path { KERNEL, GEMM, SHARED, HOST_FALLBACK }

    private final CudaMemoryOps memory;
    private final KernelLauncher launcher;
    private final Gemm gemm;
    private final HostFallback fallback;
    private final WindowOps windows;
    private final IndexOps indexing;

    CudaExecutor(CudaMemoryOps memory, KernelLauncher launcher, Gemm gemm) {
        this(memory, launcher, gemm, WindowOps.DEFAULT_COLS_BUDGET);
    }

    /** With a convolution column budget of {@code colsBudget} elements (small in tests, to exercise chunking). */
    CudaExecutor(CudaMemoryOps memory, KernelLauncher launcher, Gemm gemm, long colsBudget) {
        this.memory = memory;
        this.launcher = launcher;
        this.gemm = gemm;
        this.fallback = new HostFallback(memory);
        this.windows = new WindowOps(memory, launcher, gemm, colsBudget);
        this.indexing = new IndexOps(memory, launcher);
    }

    CudaMemoryOps memory() {
        return memory;
    }

    HostFallback fallback() {
        return fallback;
    }

    Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec) {
        if (op == Op.RESHAPE || op == Op.STOP_GRADIENT) {
            return inputs[0]; // same elements in the same order; the SPI allows sharing for these two
        }
        CudaBuffer out = memory.allocateUninitialized(outSpec.dtype(), outSpec.shape().numel());
        executeInto(op, attrs, inputs, specs, outSpec, out);
        return out;
    }

    /** Runs {@code op} into {@code out} and says which path it took. */
    Path executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec, CudaBuffer out) {
        if (op == Op.RESHAPE || op == Op.STOP_GRADIENT) {
            memory.copy((CudaBuffer) inputs[0], out);
            return Path.SHARED;
        }
        if (op == Op.MATMUL && matmul(attrs, inputs, specs, outSpec, out)) {
            return Path.GEMM;
        }
        if (op == Op.CUSTOM && launchCustom(attrs, inputs, specs, outSpec, out)) {
            return Path.KERNEL;
        }
        if (op.kind() == Op.Kind.REDUCE) {
            ReduceSpec r = ReduceSpec.of(op, attrs, specs[0], outSpec);
            launcher.launch(CudaKernels.reduction(r), new long[] {out.address(), ((CudaBuffer) inputs[0]).address()},
                    r.scalarArgs());
            return Path.KERNEL;
        }
        if (op.kind() == Op.Kind.NN && windows.run(op, attrs, inputs, specs, outSpec, out)) {
            return Path.KERNEL;
        }
        if ((op == Op.GATHER || op == Op.SCATTER_ADD) && indexing.run(op, attrs, inputs, specs, outSpec, out)) {
            return Path.KERNEL;
        }
        KernelSpec spec = elementwiseSpec(op, attrs, specs, outSpec);
        if (spec != null) {
            launch(CudaKernels.source(spec), spec, inputs, out);
            return Path.KERNEL;
        }
        fallback.executeInto(op, attrs, inputs, specs, outSpec, out);
        return Path.HOST_FALLBACK;
    }

    /** A custom op with CUDA source runs it (compiled once, cached by symbol); without, false (host fallback). */
    private boolean launchCustom(Attrs attrs, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec, CudaBuffer out) {
        CustomOp def = CustomOps.of(attrs);
        if (def.cudaSource().isEmpty()) {
            return false;
        }
        long[] pointers = new long[1 + inputs.length];
        long[] numels = new long[inputs.length];
        pointers[0] = out.address();
        for (int i = 0; i < inputs.length; i++) {
            pointers[1 + i] = ((CudaBuffer) inputs[i]).address();
            numels[i] = specs[i].shape().numel();
        }
        launcher.launch(CustomKernel.of(def), pointers,
                CustomKernel.scalarArgs(def, attrs, outSpec.shape().numel(), numels));
        return true;
    }

    /** A fused kernel for the program, or null (a step without CUDA code) to run it step by step. */
    FusedKernel compile(ElementwiseProgram program) {
        if (program.startsWithMatmul()) {
            return compileEpilogue(program);
        }
        KernelSpec spec;
        try {
            spec = KernelSpec.fromProgram(program);
        } catch (UnsupportedKernelException e) {
            return null;
        }
        KernelSource source = CudaKernels.source(spec);
        return (inputs, out) -> launch(source, spec, inputs, (CudaBuffer) out);
    }

    /**
     * A GEMM epilogue: cuBLAS writes the product into a scratch buffer, then one kernel applies the elementwise steps
     * reading it; null when the product or a step cannot run here (the caller then runs the steps one by one).
     */
    private FusedKernel compileEpilogue(ElementwiseProgram p) {
        ElementwiseProgram.Step mm = p.steps().get(0);
        GemmPlan plan = GemmPlan.of(p.inputShapes().get(mm.arg(0)), p.inputShapes().get(mm.arg(1)), mm.attrs().b("transA"),
                mm.attrs().b("transB"));
        Epilogue epilogue;
        try {
            epilogue = p.dtype().isFloating() && plan != null && plan.k() > 0 ? Epilogue.of(p) : null;
        } catch (UnsupportedKernelException e) {
            epilogue = null;
        }
        if (epilogue == null) {
            return null;
        }
        Epilogue e = epilogue;
        KernelSource source = CudaKernels.source(e.spec());
        int[] kept = e.inputs();
        return (inputs, out) -> {
            CudaBuffer product = memory.allocateUninitialized(p.dtype(), p.outShape().numel());
            product.retain();
            try {
                gemm.gemm(p.dtype(), plan, ((CudaBuffer) inputs[mm.arg(0)]).address(), ((CudaBuffer) inputs[mm.arg(1)]).address(),
                        product.address());
                Buffer[] args = new Buffer[kept.length + 1];
                for (int i = 0; i < kept.length; i++) {
                    args[i] = inputs[kept[i]];
                }
                args[kept.length] = product;
                launch(source, e.spec(), args, (CudaBuffer) out);
            } finally {
                product.release(); // NOTE: stream-ordered: the next user of this block runs after the kernel
            }
        };
    }

    private static KernelSpec elementwiseSpec(Op op, Attrs attrs, TensorSpec[] specs, TensorSpec outSpec) {
        if (op == Op.EXPAND) {
            return KernelSpec.broadcastCopy(specs[0].dtype(), specs[0].shape(), outSpec.shape());
        }
        Op.Kind kind = op.kind();
        if (kind != Op.Kind.UNARY && kind != Op.Kind.BINARY && kind != Op.Kind.TERNARY) {
            return null;
        }
        try {
            return KernelSpec.forOp(op, attrs, specs, outSpec);
        } catch (UnsupportedKernelException e) {
            return null;
        }
    }

    private void launch(KernelSource source, KernelSpec spec, Buffer[] inputs, CudaBuffer out) {
        long[] pointers = new long[1 + inputs.length];
        pointers[0] = out.address();
        for (int i = 0; i < inputs.length; i++) {
            pointers[i + 1] = ((CudaBuffer) inputs[i]).address();
        }
        launcher.launch(source, pointers, source.scalarArgs(spec.inputShapes(), spec.outShape()));
    }

    /** The product through {@link Gemm}; false when one strided-batched call cannot express it. */
    private boolean matmul(Attrs attrs, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec, CudaBuffer out) {
        DType t = outSpec.dtype();
        if (!t.isFloating() || specs[0].dtype() != t || specs[1].dtype() != t) {
            return false;
        }
        GemmPlan plan = GemmPlan.of(specs[0].shape(), specs[1].shape(), attrs.b("transA"), attrs.b("transB"));
        if (plan == null) {
            return false;
        }
        if (outSpec.shape().numel() == 0) {
            return true;
        }
        if (plan.k() == 0) {
            memory.write(HostArrays.fromTransfer(HostArrays.newTransferArray(t, HostArrays.length(out.numel())), t), out);
            return true;
        }
        gemm.gemm(t, plan, ((CudaBuffer) inputs[0]).address(), ((CudaBuffer) inputs[1]).address(), out.address());
        return true;
    }

    boolean hasNonFinite(CudaBuffer b) {
        if (!b.dtype().isFloating()) {
            return false;
        }
        Object a = memory.toHost(b);
        if (a instanceof float[] f) {
            for (float x : f) {
                if (!Float.isFinite(x)) {
                    return true;
                }
            }
            return false;
        }
        for (double x : (double[]) a) {
            if (!Double.isFinite(x)) {
                return true;
            }
        }
        return false;
    }
}
