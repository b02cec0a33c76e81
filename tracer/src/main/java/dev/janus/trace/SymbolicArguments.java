package dev.janus.trace;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Library calls that receive a symbolic number where Java has a primitive: a {@code Tensor} method with a
 * scalar parameter runs its tensor overload ({@code x.mul(s)} becomes {@code x.mul(Tensor)} with the scalar
 * made a weak 0-d tensor, as eager does), {@code Tensor.scalar(s, dtype)} casts, and the common
 * {@code Math} functions become tensor ops. Anything else needs a concrete value and is refused.
 */
final class SymbolicArguments {
    private SymbolicArguments() {}

    static TraceValue call(Activation act, MethodInsnNode insn, Object receiver, Method target, List<TraceValue> params,
            String name) {
        if (receiver instanceof Tensor t) {
            TraceValue r = onTensor(act, t, target, params);
            if (r != null) {
                return r;
            }
        } else if (insn.getOpcode() == Opcodes.INVOKESTATIC) {
            TraceValue r = onStatic(insn, params);
            if (r != null) {
                return r;
            }
        }
        throw act.error("a data-dependent number passed to " + name + ", which needs a concrete value", "do not mark "
                + "that argument dynamic (TraceOptions.dynamicScalars), or compute with tensors (a 0-d tensor can be "
                + "passed to Tensor methods)");
    }

    private static TraceValue onTensor(Activation act, Tensor receiver, Method target, List<TraceValue> params) {
        if (params.size() == 1 && (target.getName().equals("rsub") || target.getName().equals("rdiv"))) {
            Tensor s = LibraryCalls.weakScalar(receiver, params.get(0), false);
            return Concrete.ref(target.getName().equals("rsub") ? s.sub(receiver) : s.div(receiver));
        }
        if (target.getName().equals("select") || target.getName().equals("narrow")) {
            return SymbolicIndex.call(act, receiver, target, params);
        }
        Method overload = tensorOverload(target);
        if (overload == null) {
            return null;
        }
        Class<?>[] types = target.getParameterTypes();
        Object[] values = new Object[params.size()];
        for (int i = 0; i < values.length; i++) {
            TraceValue v = params.get(i);
            values[i] = v instanceof Concrete c ? Reflect.toJava(c.value(), types[i])
                    : LibraryCalls.weakScalar(receiver, v, types[i] != double.class && types[i] != float.class);
        }
        try {
            return Reflect.fromJava(overload.invoke(receiver, values), overload.getReturnType());
        } catch (InvocationTargetException e) {
            throw act.thrown(e.getCause());
        } catch (IllegalAccessException e) {
            throw act.error("a call of " + overload + " that reflection refuses", "", e);
        }
    }

    /** The public Tensor method of the same name taking Tensor where {@code target} takes a number, or null. */
    private static Method tensorOverload(Method target) {
        if (!LibraryCalls.isTensorClass(target.getDeclaringClass())) {
            return null;
        }
        Class<?>[] types = target.getParameterTypes();
        for (Method m : Tensor.class.getMethods()) {
            if (!m.getName().equals(target.getName()) || m.getParameterCount() != types.length || m.equals(target)) {
                continue;
            }
            boolean fits = true;
            for (int i = 0; i < types.length && fits; i++) {
                Class<?> p = m.getParameterTypes()[i];
                fits = p == types[i] || (p == Tensor.class && types[i].isPrimitive());
            }
            if (fits) {
                return m;
            }
        }
        return null;
    }

    private static TraceValue onStatic(MethodInsnNode insn, List<TraceValue> params) {
        if (insn.owner.equals("dev/janus/Tensor") && insn.name.equals("scalar") && params.size() == 2
                && params.get(1) instanceof Concrete c && c.value() instanceof DType d) {
            return Concrete.ref(Scalars.tensorOf(params.get(0), 'D').cast(d));
        }
        if (!insn.owner.equals("java/lang/Math") && !insn.owner.equals("java/lang/StrictMath")) {
            return null;
        }
        char kind = Values.kindOf(Type.getReturnType(insn.desc));
        Tensor x = Scalars.tensorOf(params.get(0), kind);
        Tensor r = switch (insn.name + params.size()) {
            case "abs1" -> x.abs();
            case "exp1" -> x.exp();
            case "log1" -> x.log();
            case "sqrt1" -> x.sqrt();
            case "tanh1" -> x.tanh();
            case "sin1" -> x.sin();
            case "cos1" -> x.cos();
            case "floor1" -> x.floor();
            case "ceil1" -> x.ceil();
            case "max2" -> x.maximum(Scalars.tensorOf(params.get(1), kind));
            case "min2" -> x.minimum(Scalars.tensorOf(params.get(1), kind));
            default -> null;
        };
        return r == null ? null : new Sym(r, kind);
    }
}
