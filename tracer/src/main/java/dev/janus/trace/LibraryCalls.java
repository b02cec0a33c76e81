package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import dev.janus.nn.GRUCell;
import dev.janus.nn.LSTMCell;
import dev.janus.nn.MultiheadAttention;
import dev.janus.nn.RNNBase;
import dev.janus.nn.RNNCell;
import dev.janus.nn.TransformerEncoderLayer;
import dev.janus.optim.Optimizer;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Calls into library code (Janus and the JDK), executed for real: tensor arguments are symbolic, so tensor
 * ops record nodes. Before executing, the calls the graph could not repeat are refused (I/O, changes to Java
 * collections inside data-dependent code, lambdas escaping to library code), and the few calls that need
 * the tracer's help are handled here: {@code item()} on a symbolic tensor gives a symbolic number, a
 * symbolic number passed to a {@code Tensor} method picks its tensor overload, and reading the size of a
 * dynamic dim of an input specializes the graph on it (a guard).
 */
final class LibraryCalls {
    private LibraryCalls() {}

    private static final Set<String> MUTATORS = Set.of("add", "addAll", "addFirst", "addLast", "put", "putAll",
            "putIfAbsent", "remove", "removeIf", "removeAll", "retainAll", "set", "clear", "push", "pop", "offer",
            "poll", "replaceAll", "sort", "compute", "computeIfAbsent", "computeIfPresent", "merge");
    static final String IO_FIX = "the graph would not repeat it when it runs; move I/O out of the traced method "
            + "(print the traced function's results instead)";
    private static final Set<String> SHAPE_READS = Set.of("dim", "shape", "numel");
    /**
     * Library layers whose Java code builds loops or shapes from their input's sizes (the recurrent layers'
     * loop over time steps and zero initial states, attention's head reshapes): the graph is specialized on
     * the sizes of the tensors passed to them, so a dynamic dim becomes a guard instead of a baked-in size.
     */
    private static final List<Class<?>> SIZE_SPECIALIZED = List.of(RNNBase.class, RNNCell.class, LSTMCell.class,
            GRUCell.class, MultiheadAttention.class, TransformerEncoderLayer.class);

    static TraceValue execute(Activation act, MethodInsnNode insn, Class<?> owner, Method target, List<TraceValue> args) {
        String name = owner.getSimpleName() + "." + insn.name;
        boolean isStatic = insn.getOpcode() == INVOKESTATIC;
        Object receiver = isStatic || !(args.get(0) instanceof Concrete c) ? null : c.value();
        TraceValue scanned = ScannedLists.onCall(act, insn, receiver, args);
        if (scanned != null) {
            return scanned;
        }
        refuse(act, insn, owner, target, args, name);
        if (receiver instanceof SymbolicTensor s) {
            TraceValue special = onSymbolicTensor(act, insn, s, args);
            if (special != null) {
                return special;
            }
        }
        List<TraceValue> params = isStatic ? args : args.subList(1, args.size());
        if (receiver != null && SIZE_SPECIALIZED.stream().anyMatch(c -> c.isInstance(receiver))) {
            params.stream().filter(v -> v instanceof Concrete c && c.value() instanceof SymbolicTensor)
                    .forEach(v -> Shapes.specialize(act, (SymbolicTensor) ((Concrete) v).value(), null,
                            receiver.getClass().getSimpleName() + "." + insn.name));
        }
        if (params.stream().anyMatch(v -> v instanceof Sym || v instanceof TraceValue.Cmp)) {
            return SymbolicArguments.call(act, insn, receiver, target, params, name);
        }
        Object[] values = javaArgs(act, name, target.getParameterTypes(), params);
        Object result = invoke(act, insn, owner, target, receiver, values);
        return target.getReturnType() == void.class ? null : Reflect.fromJava(result, target.getReturnType());
    }

    private static void refuse(Activation act, MethodInsnNode insn, Class<?> owner, Method target, List<TraceValue> args,
            String name) {
        if (Framework.isIo(owner) || Framework.isIo(target.getDeclaringClass())) {
            throw act.error("an I/O call " + name, IO_FIX);
        }
        for (TraceValue v : args) {
            if (v instanceof TraceValue.Lambda l) {
                throw act.error("a lambda (created at " + l.createdAt() + ") passed to library method " + name,
                        "the tracer interprets a lambda only where user code calls it; library code would run it "
                                + "out of the tracer's sight. Use a plain loop, or call the lambda yourself");
            } else if (v instanceof TraceValue.Uninit) {
                throw act.error("an object under construction passed to " + name, "");
            }
        }
        if (insn.getOpcode() != INVOKESTATIC && ((Concrete) args.get(0)).value() instanceof Optimizer o
                && insn.name.equals("step") && insn.desc.equals("()V")) {
            requireState(act, o, name);
        }
        if (act.session.inSymbolicRegion() && insn.getOpcode() != INVOKESTATIC && MUTATORS.contains(insn.name)) {
            Object r = ((Concrete) args.get(0)).value();
            if (r instanceof Collection<?> || r instanceof Map<?, ?> || r instanceof Iterator<?>) {
                Heap.requireFreshInRegion(act, r, "a change (" + insn.name + ") to a Java " + r.getClass().getSimpleName());
            }
        }
    }

    /**
     * An optimizer creates its state (momentum buffers, Adam's moments and step count) on a parameter's first
     * update, on another path than later updates: traced then, the graph would repeat the first update forever.
     */
    private static void requireState(Activation act, Optimizer o, String name) {
        List<Tensor> params = o.params();
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).grad() != null && !o.hasState(i)) {
                throw act.error(name + "() on an optimizer that has not updated parameter " + i + " " + params.get(i).shape()
                        + " yet", "an optimizer creates its state on the first step, which follows another path than "
                                + "later steps; take one eager step before tracing the training step");
            }
        }
    }

    /** {@code item()}, and reads of dynamic dims; null for the calls that need no help. */
    private static TraceValue onSymbolicTensor(Activation act, MethodInsnNode insn, SymbolicTensor s,
            List<TraceValue> args) {
        if ((insn.name.equals("item") || insn.name.equals("itemLong")) && insn.desc.startsWith("()")) {
            if (s.numel() != 1) {
                throw act.thrown(new IllegalArgumentException(insn.name + "() needs a tensor with one element, got "
                        + s.value().typeString()));
            }
            boolean asLong = insn.name.equals("itemLong");
            return new Sym(s.reshape().cast(asLong ? DType.INT64 : DType.FLOAT64), asLong ? 'J' : 'D');
        }
        if (SHAPE_READS.contains(insn.name) && s.value().dynamicDims() != 0) {
            boolean oneAxis = insn.name.equals("dim") && args.size() == 2 && args.get(1) instanceof Concrete c
                    && c.value() instanceof Integer;
            Shapes.specialize(act, s, oneAxis ? (Integer) ((Concrete) args.get(1)).value() : null, null);
        }
        return null;
    }

    /** The Java arguments for parameters {@code types}: concrete values only. */
    static Object[] javaArgs(Activation act, String name, Class<?>[] types, List<TraceValue> params) {
        Object[] out = new Object[params.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(params.get(i) instanceof Concrete c)) {
                throw act.error(Values.describe(params.get(i)) + " passed to " + name, "pass concrete values or "
                        + "tensors");
            }
            out[i] = Reflect.toJava(c.value(), types[i]);
        }
        return out;
    }

    private static Object invoke(Activation act, MethodInsnNode insn, Class<?> owner, Method target, Object receiver,
            Object[] values) {
        try {
            if (insn.getOpcode() == INVOKESPECIAL && !Modifier.isPrivate(target.getModifiers())) {
                return invokeSuper(act, target, receiver, values);
            }
            Method m = callable(owner, insn, target);
            return m.invoke(receiver, values);
        } catch (InvocationTargetException e) {
            throw failure(act, receiver, values, e.getCause());
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw act.error("a call of " + target + " that reflection refuses (" + e.getMessage() + ")", "", e);
        }
    }

    /**
     * The method to call reflectively: the one the bytecode names when it is accessible (reflection then
     * dispatches virtually, as the JVM would), else the resolved implementation made accessible.
     */
    private static Method callable(Class<?> owner, MethodInsnNode insn, Method target) {
        if (insn.getOpcode() != INVOKESTATIC) {
            Method named = Reflect.method(owner, insn.name, insn.desc);
            if (named != null && Reflect.access(named)) {
                return named;
            }
        }
        Reflect.access(target);
        return target;
    }

    /** {@code super.m(...)} into library code: a non-virtual call, which reflection cannot make. */
    private static Object invokeSuper(Activation act, Method target, Object receiver, Object[] values) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(act.owner, MethodHandles.lookup());
            MethodType type = MethodType.methodType(target.getReturnType(), target.getParameterTypes());
            List<Object> all = new ArrayList<>(Arrays.asList(values));
            all.add(0, receiver);
            return lookup.findSpecial(target.getDeclaringClass(), target.getName(), type, act.owner).invokeWithArguments(all);
        } catch (ReflectiveOperationException e) {
            throw act.error("a super call of " + target + " the tracer cannot make (" + e.getMessage() + ")", "", e);
        } catch (Throwable t) {
            throw failure(act, receiver, values, t);
        }
    }

    /** An exception from library code: reading a symbolic tensor's values is the tracer's error, others the code's. */
    private static RuntimeException failure(Activation act, Object receiver, Object[] values, Throwable t) {
        boolean symbolic = receiver instanceof SymbolicTensor || Arrays.stream(values).anyMatch(v -> v instanceof SymbolicTensor);
        if (t instanceof UnsupportedOperationException && symbolic && String.valueOf(t.getMessage()).contains("symbolic")) {
            return act.error("code that needs the values of a tensor being traced (" + t.getMessage() + ")", "only "
                    + "item() is followed symbolically; compute with tensor ops, or move this out of the traced code", t);
        }
        return act.thrown(t);
    }

    /** The 0-d tensor a symbolic number becomes when passed where a Tensor method takes a Java scalar. */
    static Tensor weakScalar(Tensor receiver, TraceValue v, boolean integral) {
        DType r = receiver.dtype();
        DType t = r.isFloating() ? r : integral ? (r == DType.BOOL ? DType.INT64 : r) : DType.FLOAT32;
        return Scalars.tensorOf(v, Values.kindOf(v) == 0 ? 'D' : Values.kindOf(v)).cast(t);
    }

    static boolean isTensorClass(Class<?> c) {
        return Tensor.class.isAssignableFrom(c);
    }
}
