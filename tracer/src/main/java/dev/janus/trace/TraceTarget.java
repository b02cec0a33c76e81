package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.Tensor;
import dev.janus.graph.GraphCapture;
import dev.janus.nn.Module;
import dev.janus.trace.TraceValue.Concrete;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * What a traced function calls: a method, the values bound ahead of the receiver (a lambda's captured
 * values), the receiver, and then the call's own arguments. A call passes {@code bound ++ [receiver] ++ args}
 * to the method the way bytecode would (a virtual method resolves from the receiver's class).
 */
record TraceTarget(Class<?> owner, String name, String desc, int opcode, List<Object> bound, Object receiver,
        boolean receiverIsArg, String display) {

    /** {@code receiver.methodName(args...)}, or a static method when {@code receiver} is a {@code Class}. */
    static TraceTarget byName(Object receiver, String methodName, Object[] args) {
        boolean isStatic = receiver instanceof Class<?>;
        Class<?> start = isStatic ? (Class<?>) receiver : receiver.getClass();
        Method m = find(start, methodName, args, isStatic);
        int op = isStatic ? INVOKESTATIC : Modifier.isPrivate(m.getModifiers()) ? INVOKESPECIAL
                : m.getDeclaringClass().isInterface() ? INVOKEINTERFACE : INVOKEVIRTUAL;
        return new TraceTarget(m.getDeclaringClass(), methodName, Type.getMethodDescriptor(m), op, List.of(),
                isStatic ? null : receiver, !isStatic, start.getSimpleName() + "." + methodName);
    }

    private static Method find(Class<?> start, String name, Object[] args, boolean isStatic) {
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            List<Method> fits = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && !m.isBridge() && Modifier.isStatic(m.getModifiers()) == isStatic
                        && accepts(m.getParameterTypes(), args)) {
                    fits.add(m);
                }
            }
            if (fits.size() > 1) {
                throw new IllegalArgumentException("several methods " + c.getName() + "." + name + " take these arguments: "
                        + fits + "; use the method-reference form of Tracer.trace to choose one");
            } else if (fits.size() == 1) {
                return fits.get(0);
            }
        }
        throw new IllegalArgumentException("no " + (isStatic ? "static " : "") + "method " + start.getName() + "." + name
                + " takes arguments " + Arrays.toString(Arrays.stream(args).map(a -> a == null ? "null"
                        : a.getClass().getSimpleName()).toArray()));
    }

    private static boolean accepts(Class<?>[] types, Object[] args) {
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i].isPrimitive() ? box(types[i]) : types[i];
            if (args[i] == null ? types[i].isPrimitive() : !t.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static Class<?> box(Class<?> p) {
        return p == boolean.class ? Boolean.class
                : p == char.class ? Character.class : p == byte.class ? Byte.class : p == short.class ? Short.class
                : p == int.class ? Integer.class : p == long.class ? Long.class : p == float.class ? Float.class
                : Double.class;
    }

    /** The method a serializable method reference or lambda names, called with {@code receiver} first. */
    static TraceTarget byReference(Serializable reference, Object receiver) {
        SerializedLambda sl = serialized(reference);
        ClassLoader loader = reference.getClass().getClassLoader();
        Class<?> impl = Reflect.load(sl.getImplClass(), loader, false);
        int op = switch (sl.getImplMethodKind()) {
            case MethodHandleInfo.REF_invokeStatic -> INVOKESTATIC;
            case MethodHandleInfo.REF_invokeSpecial -> INVOKESPECIAL;
            case MethodHandleInfo.REF_invokeInterface -> INVOKEINTERFACE;
            case MethodHandleInfo.REF_invokeVirtual -> INVOKEVIRTUAL;
            default -> throw new IllegalArgumentException("Tracer.trace needs a method reference or lambda, got a "
                    + "constructor reference to " + impl.getName());
        };
        List<Object> bound = new ArrayList<>();
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            bound.add(sl.getCapturedArg(i));
        }
        String display = sl.getImplMethodName().startsWith("lambda$") ? "a lambda in " + impl.getSimpleName()
                : impl.getSimpleName() + "." + sl.getImplMethodName();
        return new TraceTarget(impl, sl.getImplMethodName(), sl.getImplMethodSignature(), op, List.copyOf(bound),
                receiver, true, display);
    }

    private static SerializedLambda serialized(Serializable reference) {
        try {
            Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return (SerializedLambda) writeReplace.invoke(reference);
        } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
            throw new IllegalArgumentException("Tracer.trace needs a method reference or lambda (serializable), got "
                    + reference.getClass().getName(), e);
        }
    }

    boolean isStatic() {
        return opcode == INVOKESTATIC;
    }

    /** Where the user-visible arguments start among the method's parameters. */
    private int firstUserParam() {
        return bound.size() + (receiverIsArg ? 1 : 0) - (isStatic() ? 0 : 1);
    }

    /** The declared types of the user-visible parameters. */
    Type[] userParams() {
        Type[] all = Type.getArgumentTypes(desc);
        return Arrays.copyOfRange(all, firstUserParam(), all.length);
    }

    /** The source names of the user-visible parameters (null entries where the class has no debug names). */
    List<String> userNames() {
        Type[] all = Type.getArgumentTypes(desc);
        MethodNode m = methodNode();
        List<String> names = new ArrayList<>();
        int slot = isStatic() ? 0 : 1;
        for (int i = 0; i < all.length; i++) {
            if (i >= firstUserParam()) {
                names.add(m == null ? null : nameAt(m, slot));
            }
            slot += all[i].getSize();
        }
        return names;
    }

    private static String nameAt(MethodNode m, int slot) {
        if (m.localVariables != null) {
            for (LocalVariableNode v : m.localVariables) {
                if (v.index == slot) {
                    return v.name;
                }
            }
        }
        return null;
    }

    private MethodNode methodNode() {
        Class<?> c = owner;
        if (!isStatic() && receiver != null && opcode != INVOKESPECIAL) {
            Method impl = Reflect.implementation(receiverObject().getClass(), name, desc);
            c = impl != null ? impl.getDeclaringClass() : owner;
        }
        if (!Framework.isUserCode(c)) {
            return null;
        }
        MethodFacts f = ClassFiles.of(c).method(name, desc);
        return f.exists() ? f.method : null;
    }

    private Object receiverObject() {
        return bound.isEmpty() || !receiverIsArg || isStatic() ? receiver : bound.get(0);
    }

    /** {@code bound ++ [receiver] ++ user}. */
    List<TraceValue> fullArgs(List<TraceValue> user) {
        List<TraceValue> all = new ArrayList<>();
        bound.forEach(b -> all.add(Concrete.ref(b)));
        if (receiverIsArg) {
            all.add(Concrete.ref(receiver));
        }
        all.addAll(user);
        return all;
    }

    /** Calls the method for real, as the traced function stands for it: {@code bound ++ [receiver] ++ args}. */
    Object invokeEagerly(Object[] args) {
        List<Object> all = new ArrayList<>(bound);
        if (receiverIsArg) {
            all.add(receiver);
        }
        all.addAll(Arrays.asList(args));
        Method m = Reflect.method(owner, name, desc);
        if (m == null || !m.trySetAccessible()) {
            throw new IllegalStateException("cannot call " + display + " eagerly: the method is not accessible");
        }
        try {
            return isStatic() ? m.invoke(null, all.toArray()) : m.invoke(all.get(0), all.subList(1, all.size()).toArray());
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            } else if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(display + " threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + display + " eagerly", e);
        }
    }

    /** Dotted names for the parameters of the modules the call starts from ({@code fc1.weight}). */
    Map<Tensor, String> parameterNames(Object[] args) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        List<Object> roots = new ArrayList<>(bound);
        roots.add(receiver);
        roots.addAll(Arrays.asList(args));
        for (Object o : roots) {
            if (o instanceof Module m) {
                GraphCapture.namesOf(m).forEach(names::putIfAbsent);
            }
        }
        if (receiver != null && !(receiver instanceof Module) && Framework.isUserCode(receiver.getClass())) {
            moduleFields(receiver, names);
        }
        return names;
    }

    /** The modules in {@code o}'s own fields ({@code model} of a trainer), their tensors named {@code model.fc1.weight}. */
    private static void moduleFields(Object o, Map<Tensor, String> names) {
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Module.class.isAssignableFrom(f.getType())
                        || !f.trySetAccessible()) {
                    continue;
                }
                try {
                    if (f.get(o) instanceof Module m) {
                        GraphCapture.namesOf(m).forEach((t, n) -> names.putIfAbsent(t, f.getName() + "." + n));
                    }
                } catch (IllegalAccessException e) {
                    // not readable: its tensors keep generic names
                }
            }
        }
    }
}
