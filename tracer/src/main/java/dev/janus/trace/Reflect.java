package dev.janus.trace;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;

/**
 * Finding classes, methods, fields and constructors from the names in bytecode, with the JVM's lookup rules,
 * and converting between the tracer's values and the Java values reflection takes and gives.
 */
final class Reflect {
    private Reflect() {}

    /** Members found so far, per class, keyed by name + descriptor ("" marks a miss). */
    private static final ClassValue<Map<String, Object>> MEMBERS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> c) {
            return new ConcurrentHashMap<>();
        }
    };

    /** The class named by an internal name ({@code java/util/List}) or array descriptor, seen from {@code loader}. */
    static Class<?> load(String internalName, ClassLoader loader, boolean initialize) {
        try {
            return Class.forName(internalName.replace('/', '.'), initialize, loader);
        } catch (ClassNotFoundException e) {
            throw new TraceException("class " + internalName.replace('/', '.') + " is not visible from the traced code's "
                    + "class loader");
        }
    }

    /** The Java class of a type in a descriptor. */
    static Class<?> classOf(Type t, ClassLoader loader) {
        return switch (t.getSort()) {
            case Type.VOID -> void.class;
            case Type.BOOLEAN -> boolean.class;
            case Type.CHAR -> char.class;
            case Type.BYTE -> byte.class;
            case Type.SHORT -> short.class;
            case Type.INT -> int.class;
            case Type.FLOAT -> float.class;
            case Type.LONG -> long.class;
            case Type.DOUBLE -> double.class;
            case Type.ARRAY -> load(t.getDescriptor(), loader, false);
            default -> load(t.getInternalName(), loader, false);
        };
    }

    /** The method {@code name desc} that a call naming class {@code owner} refers to (JVM resolution), or null. */
    static Method method(Class<?> owner, String name, String desc) {
        Object m = MEMBERS.get(owner).computeIfAbsent("m:" + name + desc, k -> {
            Method found = resolve(owner, name, desc, false);
            return found != null ? found : "";
        });
        return m instanceof Method method ? method : null;
    }

    /**
     * The method a virtual call of {@code name desc} on an object of class {@code runtime} runs: the first
     * declaration, not abstract, up the superclass chain, else a default method of an interface; or null.
     */
    static Method implementation(Class<?> runtime, String name, String desc) {
        Object m = MEMBERS.get(runtime).computeIfAbsent("v:" + name + desc, k -> {
            Method found = resolve(runtime, name, desc, true);
            return found != null ? found : "";
        });
        return m instanceof Method method ? method : null;
    }

    private static Method resolve(Class<?> start, String name, String desc, boolean concreteOnly) {
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            Method m = declared(c, name, desc);
            if (m != null && (!concreteOnly || !Modifier.isAbstract(m.getModifiers()))) {
                return m;
            }
        }
        Deque<Class<?>> work = new ArrayDeque<>();
        for (Class<?> c = start; c != null; c = c.getSuperclass()) {
            work.addAll(java.util.List.of(c.getInterfaces()));
        }
        if (start.isInterface()) {
            work.add(start);
        }
        while (!work.isEmpty()) {
            Class<?> i = work.poll();
            Method m = declared(i, name, desc);
            if (m != null && (!concreteOnly || !Modifier.isAbstract(m.getModifiers()))) {
                return m;
            }
            work.addAll(java.util.List.of(i.getInterfaces()));
        }
        return concreteOnly ? null : declared(Object.class, name, desc);
    }

    private static Method declared(Class<?> c, String name, String desc) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
                return m;
            }
        }
        return null;
    }

    /** The constructor of {@code c} with descriptor {@code desc}. */
    static Constructor<?> constructor(Class<?> c, String desc) {
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Type.getConstructorDescriptor(k).equals(desc)) {
                k.trySetAccessible();
                return k;
            }
        }
        throw new TraceException("no constructor " + c.getName() + desc);
    }

    /** The field {@code name} that an access naming class {@code owner} refers to, made accessible. */
    static Field field(Class<?> owner, String name) {
        Object f = MEMBERS.get(owner).computeIfAbsent("f:" + name, k -> {
            Field found = findField(owner, name);
            if (found == null) {
                return "";
            }
            found.trySetAccessible();
            return found;
        });
        if (f instanceof Field field) {
            return field;
        }
        throw new TraceException("no field " + owner.getName() + "." + name);
    }

    private static Field findField(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
            for (Class<?> i : k.getInterfaces()) {
                Field f = findField(i, name);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Makes a method or constructor callable from here when Java's access rules allow it; true when it is. */
    static boolean access(Executable e) {
        if (Modifier.isPublic(e.getModifiers()) && Modifier.isPublic(e.getDeclaringClass().getModifiers())) {
            return true;
        }
        return e.trySetAccessible();
    }

    // ---- values ----

    /** The Java value to pass for a parameter of type {@code type}: unboxes and narrows the JVM's int forms. */
    static Object toJava(Object v, Class<?> type) {
        if (!type.isPrimitive() || v == null) {
            return v;
        }
        if (type == boolean.class) {
            return v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
        } else if (type == char.class) {
            return v instanceof Character c ? c : (char) ((Number) v).intValue();
        } else if (type == byte.class) {
            return ((Number) v).byteValue();
        } else if (type == short.class) {
            return ((Number) v).shortValue();
        }
        return v;
    }

    /** The tracer's value for a Java value of static type {@code type} (int-like primitives become Integer). */
    static TraceValue fromJava(Object v, Class<?> type) {
        if (!type.isPrimitive()) {
            return TraceValue.Concrete.ref(v);
        }
        if (v instanceof Boolean b) {
            return TraceValue.Concrete.prim(b ? 1 : 0);
        } else if (v instanceof Character c) {
            return TraceValue.Concrete.prim((int) c);
        } else if (v instanceof Byte || v instanceof Short) {
            return TraceValue.Concrete.prim(((Number) v).intValue());
        }
        return TraceValue.Concrete.prim(v);
    }
}
