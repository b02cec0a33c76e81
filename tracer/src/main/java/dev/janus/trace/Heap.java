package dev.janus.trace;

import static org.objectweb.asm.Opcodes.*;

import dev.janus.trace.TraceValue.Concrete;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Fields, arrays and type checks on concrete objects. Reads are real reads (a model's weights are read from
 * its fields as they are now). Writes are allowed only into objects the traced code created itself, and not
 * inside a data-dependent branch or loop body: any other write is a side effect the graph would not repeat.
 */
final class Heap {
    private Heap() {}

    static TraceValue getStatic(Activation act, FieldInsnNode insn) {
        Field f = Reflect.field(Reflect.load(insn.owner, act.loader(), true), insn.name);
        try {
            return Reflect.fromJava(f.get(null), f.getType());
        } catch (IllegalAccessException e) {
            throw act.error("a read of static field " + insn.name + " that Java access rules forbid here", "", e);
        }
    }

    static TraceValue getField(Activation act, FieldInsnNode insn, TraceValue target) {
        Object o = object(act, target, "read field " + insn.name + " of");
        Field f = Reflect.field(Reflect.load(insn.owner, act.loader(), false), insn.name);
        try {
            return Reflect.fromJava(f.get(o), f.getType());
        } catch (IllegalAccessException e) {
            throw act.error("a read of field " + insn.name + " that Java access rules forbid here", "", e);
        }
    }

    static void putField(Activation act, FieldInsnNode insn, TraceValue target, TraceValue value) {
        Object o = object(act, target, "write field " + insn.name + " of");
        if (!act.session.wasCreated(o)) {
            throw act.error("a write to field " + o.getClass().getSimpleName() + "." + insn.name + " of an object created "
                    + "before tracing", "the graph cannot replay writes to Java objects; return the value from the "
                    + "traced method instead, or keep state in a registered buffer");
        }
        requireFreshInRegion(act, o, "a write to field " + insn.name);
        Field f = Reflect.field(Reflect.load(insn.owner, act.loader(), false), insn.name);
        try {
            f.set(o, Reflect.toJava(javaValue(act, value, "stores"), f.getType()));
        } catch (IllegalAccessException e) {
            throw act.error("a write to field " + insn.name + " that Java access rules forbid here", "", e);
        }
    }

    static TraceValue newArray(Activation act, AbstractInsnNode insn, TraceValue count) {
        int n = length(act, count);
        Class<?> component = insn.getOpcode() == ANEWARRAY
                ? Reflect.classOf(Type.getObjectType(((TypeInsnNode) insn).desc), act.loader())
                : primitive(((IntInsnNode) insn).operand);
        return created(act, Array.newInstance(component, n));
    }

    static TraceValue newMultiArray(Activation act, MultiANewArrayInsnNode insn, List<TraceValue> counts) {
        int[] dims = new int[counts.size()];
        Class<?> component = Reflect.classOf(Type.getType(insn.desc), act.loader());
        for (int i = 0; i < dims.length; i++) {
            dims[i] = length(act, counts.get(i));
            component = component.getComponentType();
        }
        Object array = Array.newInstance(component, dims);
        markCreated(act, array);
        return Concrete.ref(array);
    }

    private static void markCreated(Activation act, Object array) {
        act.session.created(array);
        if (array instanceof Object[] nested) {
            for (Object o : nested) {
                if (o != null && o.getClass().isArray()) {
                    markCreated(act, o);
                }
            }
        }
    }

    private static int length(Activation act, TraceValue count) {
        if (count.isSymbolic()) {
            throw act.error("a Java array with a data-dependent length", "use a tensor instead of a Java array");
        }
        int n = (Integer) ((Concrete) count).value();
        if (n < 0) {
            throw act.thrown(new NegativeArraySizeException(Integer.toString(n)));
        }
        return n;
    }

    private static Class<?> primitive(int atype) {
        return switch (atype) {
            case T_BOOLEAN -> boolean.class;
            case T_CHAR -> char.class;
            case T_FLOAT -> float.class;
            case T_DOUBLE -> double.class;
            case T_BYTE -> byte.class;
            case T_SHORT -> short.class;
            case T_INT -> int.class;
            default -> long.class;
        };
    }

    private static TraceValue created(Activation act, Object array) {
        act.session.created(array);
        return Concrete.ref(array);
    }

    static TraceValue arrayLength(Activation act, TraceValue array) {
        return Concrete.prim(Array.getLength(object(act, array, "take the length of")));
    }

    static TraceValue arrayLoad(Activation act, TraceValue array, TraceValue index) {
        Object a = object(act, array, "index");
        int i = index(act, index, a);
        return Reflect.fromJava(Array.get(a, i), a.getClass().getComponentType());
    }

    static void arrayStore(Activation act, TraceValue array, TraceValue index, TraceValue value) {
        Object a = object(act, array, "store into");
        if (!act.session.wasCreated(a)) {
            throw act.error("a write into a Java array created before tracing", "the graph cannot replay writes to "
                    + "Java arrays; build a new array in the traced code, or use a tensor");
        }
        requireFreshInRegion(act, a, "a write into a Java array");
        int i = index(act, index, a);
        try {
            Array.set(a, i, Reflect.toJava(javaValue(act, value, "stores"), a.getClass().getComponentType()));
        } catch (IllegalArgumentException e) {
            throw act.thrown(new ArrayStoreException(e.getMessage()));
        }
    }

    private static int index(Activation act, TraceValue index, Object array) {
        if (index.isSymbolic()) {
            throw act.error("a Java array indexed by a data-dependent number", "put the values in a tensor and "
                    + "index it with Tensor.gather or indexSelect");
        }
        int i = (Integer) ((Concrete) index).value();
        if (i < 0 || i >= Array.getLength(array)) {
            throw act.thrown(new ArrayIndexOutOfBoundsException("Index " + i + " out of bounds for length "
                    + Array.getLength(array)));
        }
        return i;
    }

    static TraceValue checkCast(Activation act, String desc, TraceValue v) {
        if (v instanceof Concrete c && c.value() != null) {
            Class<?> to = Reflect.classOf(Type.getObjectType(desc), act.loader());
            if (!to.isInstance(c.value())) {
                throw act.thrown(new ClassCastException(c.value().getClass().getName() + " cannot be cast to "
                        + to.getName()));
            }
        }
        return v;
    }

    static TraceValue instanceOf(Activation act, String desc, TraceValue v) {
        Class<?> to = Reflect.classOf(Type.getObjectType(desc), act.loader());
        if (v instanceof Concrete c) {
            return Concrete.prim(to.isInstance(c.value()) ? 1 : 0);
        } else if (v instanceof TraceValue.Lambda l) {
            return Concrete.prim(to.isAssignableFrom(Reflect.classOf(l.iface(), act.loader())) ? 1 : 0);
        } else if (v instanceof TraceValue.Sym s) {
            Class<?> box = switch (s.kind()) {
                case 'J' -> Long.class;
                case 'F' -> Float.class;
                case 'D' -> Double.class;
                default -> Integer.class;
            };
            return Concrete.prim(to.isAssignableFrom(box) ? 1 : 0);
        }
        throw act.error("instanceof on " + Values.describe(v), "");
    }

    /** The object {@code v} refers to; a null raises NullPointerException in the traced code. */
    private static Object object(Activation act, TraceValue v, String what) {
        if (v instanceof Concrete c) {
            if (c.value() == null) {
                throw act.thrown(new NullPointerException("Cannot " + what + " null"));
            }
            return c.value();
        }
        throw act.error("an attempt to " + what + " " + Values.describe(v), "only concrete Java objects have fields "
                + "and elements");
    }

    /** The Java value of {@code v} to store in a field or array. */
    private static Object javaValue(Activation act, TraceValue v, String verb) {
        if (v instanceof Concrete c) {
            return c.value();
        }
        throw act.error("code that " + verb + " " + Values.describe(v) + " in a Java field or array", "keep "
                + "data-dependent values in tensors (Tensor.stack or cat to collect them)");
    }

    /** Inside a data-dependent region, writes go only to objects created in it (a varargs array, a fresh list). */
    static void requireFreshInRegion(Activation act, Object target, String what) {
        if (act.session.inSymbolicRegion() && !act.session.createdInCurrentRegion(target)) {
            throw act.error(what + " inside a data-dependent branch or loop body, on an object created before it", "the "
                    + "branch or body is recorded "
                    + "once, so the Java side effect would happen once whatever the data; carry the values as tensors "
                    + "(a loop can concatenate onto a carried tensor) instead");
        }
    }
}
