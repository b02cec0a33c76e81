package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.ElementwiseProgram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One elementwise kernel to generate: typed inputs broadcast to {@link #outShape}, and a chain of steps. Values
 * are numbered like {@link ElementwiseProgram}'s: inputs first, then one value per step; the last step is the
 * output. Unlike a program, every value has its own dtype, so a single comparison, cast or {@code where} is a
 * one-step spec too.
 *
 * <pre>{@code
 * KernelSpec s = KernelSpec.fromProgram(program);             // a fused group of the graph executor
 * KernelSpec t = KernelSpec.forOp(Op.ADD, Attrs.NONE, specs, outSpec); // a plain eager op
 * }</pre>
 */
public record KernelSpec(List<DType> inputTypes, List<Shape> inputShapes, Shape outShape, List<TypedStep> steps) {

    /** One op application: {@code args} are value numbers; {@code type} is the dtype of its result. */
    public record TypedStep(Op op, DType type, int[] args) {
        public TypedStep {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(type, "type");
            args = args.clone();
        }

        @Override
        public int[] args() {
            return args.clone();
        }

        int arg(int i) {
            return args[i];
        }

        int arity() {
            return args.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TypedStep s && op == s.op && type == s.type && Arrays.equals(args, s.args);
        }

        @Override
        public int hashCode() {
            return Objects.hash(op, type, Arrays.hashCode(args));
        }

        @Override
        public String toString() {
            return op.opName() + ":" + type.shortName() + Arrays.toString(args);
        }
    }

    public KernelSpec {
        inputTypes = List.copyOf(inputTypes);
        inputShapes = List.copyOf(inputShapes);
        steps = List.copyOf(steps);
        Objects.requireNonNull(outShape, "outShape");
        if (inputTypes.size() != inputShapes.size() || inputTypes.isEmpty() || steps.isEmpty()) {
            throw new IllegalArgumentException("a kernel needs as many input types as shapes, at least one input and "
                    + "one step; got " + inputTypes + ", " + inputShapes + ", " + steps);
        }
    }

    /**
     * The spec of a fused group. Programs that start with a matmul (the GEMM epilogue) are not kernels of this
     * generator: the caller runs the product through cuBLAS and the rest as a program of its own.
     *
     * @throws UnsupportedKernelException when a step has no CUDA code for the program's dtype
     */
    public static KernelSpec fromProgram(ElementwiseProgram p) {
        if (p.startsWithMatmul()) {
            throw new UnsupportedKernelException("a program starting with a matmul is not one elementwise kernel");
        }
        List<DType> types = new ArrayList<>();
        p.inputShapes().forEach(s -> types.add(p.dtype()));
        List<TypedStep> steps = new ArrayList<>();
        for (ElementwiseProgram.Step s : p.steps()) {
            steps.add(new TypedStep(s.op(), p.dtype(), s.args()));
        }
        KernelSpec spec = new KernelSpec(types, p.inputShapes(), p.outShape(), steps);
        spec.checkSupported();
        return spec;
    }

    /**
     * The one-step spec of a plain unary, binary or {@code where} op, whose shapes and dtypes have passed the
     * shape rules ({@code outputSpec} is the rule's result).
     *
     * @throws UnsupportedKernelException when the op or its dtypes have no CUDA code
     */
    public static KernelSpec forOp(Op op, Attrs attrs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
        int arity = switch (op.kind()) {
            case UNARY -> 1;
            case BINARY -> 2;
            case TERNARY -> 3;
            default -> throw new UnsupportedKernelException("op '" + op.opName() + "' is not elementwise");
        };
        if (inputSpecs.length != arity) {
            throw new IllegalArgumentException("op '" + op.opName() + "' takes " + arity + " inputs, got "
                    + inputSpecs.length);
        }
        List<DType> types = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        int[] args = new int[arity];
        for (int i = 0; i < arity; i++) {
            types.add(inputSpecs[i].dtype());
            shapes.add(inputSpecs[i].shape());
            args[i] = i;
        }
        KernelSpec spec = new KernelSpec(types, shapes, outputSpec.shape(),
                List.of(new TypedStep(op, outputSpec.dtype(), args)));
        spec.checkSupported();
        return spec;
    }

    /**
     * EXPAND as a kernel: one identity step whose input is read broadcast ({@link Access#STRIDED}), so the copy
     * runs on the device in any dtype.
     */
    public static KernelSpec broadcastCopy(DType dtype, Shape in, Shape out) {
        return new KernelSpec(List.of(dtype), List.of(in), out, List.of(new TypedStep(Op.STOP_GRADIENT, dtype, new int[] {0})));
    }

    /** Number of inputs. */
    public int numInputs() {
        return inputTypes.size();
    }

    /** The dtype of value {@code v} (an input or a step's result). */
    public DType typeOf(int v) {
        return v < numInputs() ? inputTypes.get(v) : steps.get(v - numInputs()).type();
    }

    /** The output's dtype: the last step's. */
    public DType outType() {
        return steps.get(steps.size() - 1).type();
    }

    void checkSupported() {
        for (int k = 0; k < steps.size(); k++) {
            TypedStep s = steps.get(k);
            DType[] argTypes = new DType[s.arity()];
            for (int i = 0; i < s.arity(); i++) {
                argTypes[i] = typeOf(s.arg(i));
            }
            String why = StepSource.unsupported(s.op(), argTypes, s.type());
            if (why != null) {
                throw new UnsupportedKernelException("step " + k + " (" + s.op().opName() + "): " + why);
            }
        }
    }
}
