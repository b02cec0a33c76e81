package dev.janus.backend.cpu;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;

/**
 * The CPU backend: Java kernels split across cores above a size threshold, GEMM through OpenBLAS. This
 * class is the kernel table — one {@code switch} over every primitive with no default, so a new op without
 * a CPU kernel does not compile.
 */
public final class CpuBackend implements Backend {

    @Override
    public String deviceKind() {
        return "cpu";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Buffer fromHost(Object array, DType dtype, Device device) {
        int n = java.lang.reflect.Array.getLength(array);
        Object copy = switch (dtype) {
            case FLOAT32 -> ((float[]) array).clone();
            case FLOAT64 -> ((double[]) array).clone();
            case INT32 -> ((int[]) array).clone();
            case INT64 -> ((long[]) array).clone();
            case BOOL -> CpuBuffer.toBytes((boolean[]) array);
        };
        return new CpuBuffer(copy, dtype, n);
    }

    @Override
    public Object toHost(Buffer buffer) {
        Object a = ((CpuBuffer) buffer).array;
        return switch (buffer.dtype()) {
            case FLOAT32 -> ((float[]) a).clone();
            case FLOAT64 -> ((double[]) a).clone();
            case INT32 -> ((int[]) a).clone();
            case INT64 -> ((long[]) a).clone();
            case BOOL -> CpuBuffer.toBooleans((byte[]) a);
        };
    }

    @Override
    public void copy(Buffer src, Buffer dst) {
        CpuBuffer s = (CpuBuffer) src;
        CpuBuffer d = (CpuBuffer) dst;
        System.arraycopy(s.array, 0, d.array, 0, s.length);
        d.written();
    }

    @Override
    public Buffer allocate(DType dtype, long numel) {
        return CpuBuffer.zeros(dtype, numel);
    }

    /**
     * Runs the kernel with {@code out} offered as its output array (see {@link OutputSlot}): every kernel
     * takes its output from {@link CpuBuffer#allocate}, so it writes straight into {@code out}. A kernel
     * whose result is not that buffer (reshape's shared input, a reduction's double accumulator) is copied.
     */
    @Override
    public void executeInto(Op op, Attrs a, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec, Buffer out) {
        CpuBuffer o = (CpuBuffer) out;
        if (o.dtype != outSpec.dtype() || o.length != outSpec.shape().numel()) {
            throw new IllegalArgumentException("op '" + op.opName() + "' writes " + outSpec + ", but the output buffer is "
                    + o.dtype.shortName() + " with " + o.length + " elements");
        }
        for (Buffer in : inputs) {
            if (in == out) {
                throw new IllegalArgumentException("op '" + op.opName() + "': the output buffer is also an input");
            }
        }
        Buffer result;
        OutputSlot.offer(o);
        try {
            result = execute(op, a, inputs, specs, outSpec);
        } finally {
            OutputSlot.clear();
        }
        if (result != o) {
            copy(result, o);
        } else {
            o.written();
        }
    }

    /**
     * Fused kernels are generated with ASM. A minimal runtime (a saved archive run without the tracer's jars)
     * may leave ASM out: then this returns null and the executor runs the chain op by op, with the same results.
     */
    @Override
    public FusedKernel compileElementwise(ElementwiseProgram program) {
        return CODEGEN ? ElementwiseCompiler.compile(program) : null;
    }

    private static final boolean CODEGEN = asmPresent();

    private static boolean asmPresent() {
        try {
            Class.forName("org.objectweb.asm.ClassWriter", false, CpuBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    @Override
    public boolean hasNonFinite(Buffer buffer) {
        return ElementwiseKernels.hasNonFinite((CpuBuffer) buffer);
    }

    @Override
    public Buffer execute(Op op, Attrs a, Buffer[] inputs, TensorSpec[] specs, TensorSpec out) {
        CpuBuffer x = (CpuBuffer) inputs[0];
        Shape xShape = specs[0].shape();
        long[] xs = xShape.dims();
        long[] os = out.shape().dims();
        return switch (op) {
            case CAST -> ElementwiseKernels.cast(x, out.dtype());
            case NEG, ABS, SIGN, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, RELU, ERF, FLOOR,
                    CEIL, ROUND, NOT, IS_NAN, IS_INF -> ElementwiseKernels.unary(op, x, out.dtype());
            case ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, AND, OR, XOR ->
                    ElementwiseKernels.binary(op, x, xs, (CpuBuffer) inputs[1], specs[1].shape().dims(), out.dtype(), os);
            case WHERE -> ElementwiseKernels.where(x, xs, (CpuBuffer) inputs[1], specs[1].shape().dims(),
                    (CpuBuffer) inputs[2], specs[2].shape().dims(), os);
            case SUM, PROD, MAX, MIN -> ReduceKernels.reduce(op, x, xs, ShapeRules.reducedMask(op, xShape, a.ints("axes")),
                    out.dtype());
            case ARGMAX, ARGMIN -> ReduceKernels.argReduce(op, x, xs, xShape.axis(a.i("axis")));
            case CUMSUM -> ReduceKernels.cumsum(x, xs, xShape.axis(a.i("axis")), out.dtype());
            case RESHAPE, STOP_GRADIENT -> x; // same values: share the buffer
            case PERMUTE -> MovementKernels.permute(x, xs, a.ints("perm"), os);
            case EXPAND -> MovementKernels.expand(x, xs, os);
            case SLICE -> MovementKernels.slice(x, xs, a, os);
            case PAD -> MovementKernels.pad(x, xs, a, os);
            case FLIP -> MovementKernels.flip(x, xs, a.ints("axes"));
            case CONCAT -> concat(a, inputs, specs, os);
            case GATHER -> IndexKernels.gather(x, xs, (CpuBuffer) inputs[1], specs[1].shape().dims(), xShape.axis(a.i("axis")));
            case SCATTER_ADD -> IndexKernels.scatterAdd(x, xs, (CpuBuffer) inputs[1], specs[1].shape().dims(),
                    (CpuBuffer) inputs[2], xShape.axis(a.i("axis")));
            case MATMUL -> MatmulKernels.matmul(x, xs, a.b("transA"), (CpuBuffer) inputs[1], specs[1].shape().dims(),
                    a.b("transB"), os);
            case CONV2D, CONV_TRANSPOSE2D, CONV2D_WEIGHT_GRAD, MAX_POOL2D, MAX_POOL2D_GRAD -> NnKernels.run(op, a, inputs, specs, out);
            case FFT, RFFT, IRFFT -> fft(op, a, x, specs[0], out);
            case IF, LOOP, FUSED -> throw new IllegalArgumentException("op '" + op.opName()
                    + "' is a graph control op: the graph executor runs it, not a backend");
            case CUSTOM -> CustomKernels.run(a, inputs, specs, out);
        };
    }

    private static Buffer concat(Attrs a, Buffer[] inputs, TensorSpec[] specs, long[] os) {
        CpuBuffer[] ins = new CpuBuffer[inputs.length];
        long[][] shapes = new long[inputs.length][];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = (CpuBuffer) inputs[i];
            shapes[i] = specs[i].shape().dims();
        }
        return MovementKernels.concat(ins, shapes, specs[0].shape().axis(a.i("axis")), os);
    }

    private static Buffer fft(Op op, Attrs a, CpuBuffer x, TensorSpec in, TensorSpec out) {
        long[] xs = in.shape().dims();
        CpuBuffer o = CpuBuffer.allocate(out.dtype(), out.shape().numel());
        boolean single = x.dtype == DType.FLOAT32;
        switch (op) {
            case FFT, IRFFT -> {
                int axis = ShapeRules.complexAxis(op, in.shape(), a.i("axis"));
                int outer = (int) Shapes.numel(xs, 0, axis);
                int inner = (int) Shapes.numel(xs, axis + 1, xs.length - 1);
                if (op == Op.FFT) {
                    if (single) {
                        FftKernels.fft(x.f32(), outer, (int) xs[axis], inner, o.f32(), a.b("inverse"));
                    } else {
                        FftKernels.fft(x.f64(), outer, (int) xs[axis], inner, o.f64(), a.b("inverse"));
                    }
                } else if (single) {
                    FftKernels.irfft(x.f32(), outer, (int) a.l("n"), inner, o.f32());
                } else {
                    FftKernels.irfft(x.f64(), outer, (int) a.l("n"), inner, o.f64());
                }
            }
            default -> {
                int axis = in.shape().axis(a.i("axis"));
                int outer = (int) Shapes.numel(xs, 0, axis);
                int inner = (int) Shapes.numel(xs, axis + 1, xs.length);
                if (single) {
                    FftKernels.rfft(x.f32(), outer, (int) xs[axis], inner, o.f32());
                } else {
                    FftKernels.rfft(x.f64(), outer, (int) xs[axis], inner, o.f64());
                }
            }
        }
        return o;
    }
}
