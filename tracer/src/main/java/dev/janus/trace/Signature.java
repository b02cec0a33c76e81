package dev.janus.trace;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.graph.InputSpec;
import dev.janus.nn.Module;
import dev.janus.ops.TensorSpec;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.objectweb.asm.Type;

/**
 * How the arguments of one call map to a graph: which become graph inputs (tensors, dynamic scalars), which
 * are baked in as constants, and the guards that say when a later call may reuse the graph.
 */
final class Signature {
    /** One graph input: the argument it comes from, and its kind (T tensor, or the scalar's JVM kind). */
    private record Input(int arg, char kind, boolean boxed) {}

    private final List<InputSpec> specs = new ArrayList<>();
    private final List<Input> inputs = new ArrayList<>();
    private final List<Guard> guards = new ArrayList<>();
    private final Type[] paramTypes;
    private final Object[] examples;

    private Signature(Type[] paramTypes, Object[] examples) {
        this.paramTypes = paramTypes;
        this.examples = examples;
    }

    /**
     * @param paramTypes the declared types of the user-visible parameters
     * @param names      their source names (entries may be null)
     * @param receiver   the bound receiver (a Module's training mode is guarded), or null
     */
    static Signature of(TraceOptions options, Object[] args, Type[] paramTypes, List<String> names, Object receiver) {
        if (args.length != paramTypes.length) {
            throw new IllegalArgumentException("the traced method takes " + paramTypes.length + " arguments, got "
                    + args.length);
        }
        Signature s = new Signature(paramTypes, args.clone());
        for (int i = 0; i < args.length; i++) {
            s.add(options, i, args[i], names.get(i));
        }
        if (receiver instanceof Module m) {
            s.guards.add(new Guard(-1, null, Guard.Kind.TRAINING, -1, m.isTraining()));
        }
        return s;
    }

    private void add(TraceOptions options, int i, Object v, String name) {
        String inputName = name != null ? name : "x" + i;
        if (v instanceof Tensor t) {
            long dynamic = options.dynamicMask(i, t.rank());
            specs.add(new InputSpec(inputName, new TensorSpec(t.dtype(), t.shape()), dynamic));
            inputs.add(new Input(i, Values.TENSOR, false));
            guards.add(new Guard(i, name, Guard.Kind.DTYPE, -1, t.dtype()));
            guards.add(new Guard(i, name, Guard.Kind.RANK, -1, t.rank()));
            for (int d = 0; d < t.rank(); d++) {
                if ((dynamic & (1L << d)) == 0) {
                    guards.add(new Guard(i, name, Guard.Kind.DIM, d, t.dim(d)));
                }
            }
        } else if (options.isDynamicScalar(i)) {
            if (!(v instanceof Number)) {
                throw new IllegalArgumentException("argument " + i + " is marked a dynamic scalar but is " + v);
            }
            boolean boxed = paramTypes[i].getSort() == Type.OBJECT;
            char kind = Values.kindOf(boxed ? Type.getType(v.getClass()) : paramTypes[i]);
            specs.add(new InputSpec(inputName, new TensorSpec(Sym.dtypeOf(kind), Shape.scalar()), 0L));
            inputs.add(new Input(i, kind, boxed));
            guards.add(new Guard(i, name, Guard.Kind.SCALAR_TYPE, -1, v.getClass()));
        } else if (paramTypes[i].getSort() != Type.OBJECT && paramTypes[i].getSort() != Type.ARRAY
                && (v == null || !Type.getType(v.getClass()).equals(boxOf(paramTypes[i])))) {
            throw new IllegalArgumentException("argument " + i + (name != null ? " (" + name + ")" : "") + " is a "
                    + paramTypes[i].getClassName() + " parameter, got " + (v == null ? "null" : v.getClass().getSimpleName()));
        } else if (v == null || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof String || v instanceof Enum<?> || v instanceof DType) {
            guards.add(new Guard(i, name, Guard.Kind.VALUE, -1, v));
        } else if (v instanceof Tensor[] || (v instanceof Collection<?> c && c.stream().anyMatch(Tensor.class::isInstance))) {
            throw new TraceException("argument " + i + " holds tensors inside " + v.getClass().getSimpleName() + "; "
                    + "the tracer takes tensors as separate arguments for now");
        } else {
            guards.add(new Guard(i, name, Guard.Kind.IDENTITY, -1, v));
        }
    }

    int arity() {
        return examples.length;
    }

    private static Type boxOf(Type primitive) {
        return Type.getObjectType(switch (primitive.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.CHAR -> "java/lang/Character";
            case Type.BYTE -> "java/lang/Byte";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.LONG -> "java/lang/Long";
            case Type.FLOAT -> "java/lang/Float";
            default -> "java/lang/Double";
        });
    }

    List<InputSpec> inputSpecs() {
        return specs;
    }

    List<Guard> guards() {
        return guards;
    }

    /** The traced method's user arguments as tracer values, with the graph's symbolic inputs in place. */
    List<TraceValue> abstractArgs(Tensor[] symbolic, TraceSession session) {
        List<TraceValue> out = new ArrayList<>();
        for (int i = 0; i < examples.length; i++) {
            Object v = examples[i];
            boolean primitive = paramTypes[i].getSort() != Type.OBJECT && paramTypes[i].getSort() != Type.ARRAY;
            out.add(primitive ? Reflect.fromJava(v, Reflect.classOf(paramTypes[i], null)) : Concrete.ref(v));
        }
        for (int k = 0; k < inputs.size(); k++) {
            Input in = inputs.get(k);
            if (in.kind() == Values.TENSOR) {
                out.set(in.arg(), Concrete.ref(symbolic[k]));
                session.input(symbolic[k], in.arg());
            } else {
                out.set(in.arg(), new Sym(symbolic[k], in.kind(), in.boxed()));
            }
        }
        return out;
    }

    /** The graph's input tensors for a call with {@code args} (which passed the guards). */
    Tensor[] graphInputs(Object[] args) {
        Tensor[] out = new Tensor[inputs.size()];
        for (int k = 0; k < out.length; k++) {
            Input in = inputs.get(k);
            Object v = args[in.arg()];
            out[k] = in.kind() == Values.TENSOR ? (Tensor) v
                    : Tensor.scalar(((Number) v).doubleValue(), Sym.dtypeOf(in.kind()));
        }
        return out;
    }
}
