package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.trace.TraceValue.Cmp;
import dev.janus.trace.TraceValue.Concrete;
import dev.janus.trace.TraceValue.Sym;
import org.objectweb.asm.Type;

/** Conversions between the tracer's values, JVM types and graph tensors. */
final class Values {
    /** The kind of a tensor value, next to the JVM number kinds I, J, F, D. */
    static final char TENSOR = 'T';

    private Values() {}

    /** {@code v} as a value of JVM type {@code t}: boxes or unboxes where a call's types ask for it. */
    static TraceValue adapt(TraceValue v, Type t) {
        boolean primitive = t.getSort() != Type.OBJECT && t.getSort() != Type.ARRAY;
        if (v instanceof Concrete c && c.value() != null && c.primitive() != primitive) {
            return primitive ? Concrete.prim(unboxed(c.value())) : Concrete.ref(boxed(c.value(), t));
        }
        if (v instanceof Sym s && s.boxed() == primitive) {
            char kind = primitive ? kindOf(t) : s.kind();
            Tensor x = kind == s.kind() ? s.tensor() : s.tensor().cast(Sym.dtypeOf(kind));
            return new Sym(x, kind, !primitive);
        }
        return v;
    }

    private static Object unboxed(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (o instanceof Character c) {
            return (int) c;
        } else if (o instanceof Byte || o instanceof Short) {
            return ((Number) o).intValue();
        }
        return o;
    }

    private static Object boxed(Object o, Type t) {
        return switch (t.getDescriptor()) {
            case "Ljava/lang/Boolean;" -> ((Integer) o) != 0;
            case "Ljava/lang/Character;" -> (char) (int) (Integer) o;
            case "Ljava/lang/Byte;" -> (byte) (int) (Integer) o;
            case "Ljava/lang/Short;" -> (short) (int) (Integer) o;
            default -> o;
        };
    }

    /** The number kind of a primitive JVM type (booleans, chars, bytes and shorts are ints). */
    static char kindOf(Type t) {
        return switch (t.getSort()) {
            case Type.LONG -> 'J';
            case Type.FLOAT -> 'F';
            case Type.DOUBLE -> 'D';
            case Type.OBJECT -> kindOfBox(t.getInternalName());
            default -> 'I';
        };
    }

    private static char kindOfBox(String internalName) {
        return switch (internalName) {
            case "java/lang/Long" -> 'J';
            case "java/lang/Float" -> 'F';
            case "java/lang/Double" -> 'D';
            default -> 'I';
        };
    }

    /**
     * What a slot holds, as far as the graph is concerned: {@link #TENSOR}, a number kind (I, J, F, D) for a
     * primitive that may become a graph value, or 0 for anything else (objects, null, boxed numbers).
     */
    static char kindOf(TraceValue v) {
        if (v instanceof Concrete c) {
            if (c.value() instanceof Tensor) {
                return TENSOR;
            }
            return c.primitive() ? numberKind(c.value()) : 0;
        } else if (v instanceof Sym s) {
            return s.boxed() ? 0 : s.kind();
        } else if (v instanceof Cmp) {
            return 'I';
        }
        return 0;
    }

    static char numberKind(Object boxed) {
        if (boxed instanceof Long) {
            return 'J';
        } else if (boxed instanceof Float) {
            return 'F';
        } else if (boxed instanceof Double) {
            return 'D';
        }
        return 'I';
    }

    /** The graph value of {@code v}: the tensor itself, or a 0-d tensor of the number kind's dtype. */
    static Tensor asTensor(TraceValue v, char kind) {
        if (kind == TENSOR) {
            return (Tensor) ((Concrete) v).value();
        }
        return Scalars.tensorOf(v, kind);
    }

    /** The tracer value for a graph value of kind {@code kind}. */
    static TraceValue fromTensor(Tensor t, char kind) {
        return kind == TENSOR ? Concrete.ref(t) : new Sym(t, kind);
    }

    /** True when two branch results are the same value (identity for objects, equality for numbers). */
    static boolean same(TraceValue a, TraceValue b) {
        if (a instanceof Concrete x && b instanceof Concrete y) {
            return x.primitive() ? x.equals(y) : x.value() == y.value();
        }
        return a == b || a.equals(b);
    }

    /** A short description for messages: {@code a Tensor}, {@code null}, {@code an ArrayList}. */
    static String describe(TraceValue v) {
        if (v instanceof Concrete c) {
            return c.value() == null ? "null" : c.primitive() ? "the number " + c.value()
                    : "a " + c.value().getClass().getSimpleName();
        } else if (v instanceof Sym || v instanceof Cmp) {
            return "a data-dependent number";
        } else if (v instanceof TraceValue.Lambda) {
            return "a lambda";
        }
        return "no value";
    }
}
