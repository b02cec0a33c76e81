package dev.janus.trace;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.graph.SymbolicTensor;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.Value;

/**
 * What a local variable or stack slot holds while the tracer interprets a method: a value known now, a
 * number known only when the graph runs, or one of the few things the JVM has besides (an object under
 * construction, a lambda, an unused slot).
 */
sealed interface TraceValue extends Value {

    /** True when the value depends on the traced inputs: a symbolic tensor, a symbolic number or comparison. */
    default boolean isSymbolic() {
        return false;
    }

    /** The value as it is now: an object under construction that has been constructed reads as that object. */
    default TraceValue resolved() {
        return this;
    }

    /**
     * A value known now: a primitive (boxed; {@code int}, {@code boolean}, {@code char}, {@code byte} and
     * {@code short} all as {@code Integer}, as the JVM does), an object, an array, a tensor, or null.
     *
     * @param primitive true for a JVM primitive, false for a reference (a boxed {@code Long} object is one slot)
     */
    record Concrete(Object value, boolean primitive) implements TraceValue {
        static final Concrete NULL = new Concrete(null, false);

        static Concrete ref(Object value) {
            return value == null ? NULL : new Concrete(value, false);
        }

        static Concrete prim(Object boxed) {
            return new Concrete(boxed, true);
        }

        @Override
        public int getSize() {
            return primitive && (value instanceof Long || value instanceof Double) ? 2 : 1;
        }

        @Override
        public boolean isSymbolic() {
            return value instanceof SymbolicTensor;
        }

        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /**
     * A number known only when the graph runs (a dynamic scalar argument, {@code tensor.item()}, arithmetic on
     * them): a 0-d tensor of the graph.
     *
     * @param kind  the JVM type: {@code 'I'} int (and boolean, char...), {@code 'J'} long, {@code 'F'}, {@code 'D'}
     * @param boxed true when it stands for a boxed object ({@code Integer}) rather than a primitive
     */
    record Sym(Tensor tensor, char kind, boolean boxed) implements TraceValue {
        Sym(Tensor tensor, char kind) {
            this(tensor, kind, false);
        }

        @Override
        public int getSize() {
            return !boxed && (kind == 'J' || kind == 'D') ? 2 : 1;
        }

        @Override
        public boolean isSymbolic() {
            return true;
        }

        /** The graph dtype of a symbolic number of JVM type {@code kind}. */
        static DType dtypeOf(char kind) {
            return switch (kind) {
                case 'I', 'J' -> DType.INT64;
                case 'F' -> DType.FLOAT32;
                case 'D' -> DType.FLOAT64;
                default -> throw new IllegalArgumentException("not a numeric JVM type: " + kind);
            };
        }
    }

    /**
     * The int that {@code LCMP}, {@code FCMPL/G} or {@code DCMPL/G} push when an operand is symbolic; kept
     * unevaluated so that the conditional jump after it becomes one comparison in the graph.
     *
     * @param nanResult what the comparison gives when an operand is NaN (-1 for *CMPL, 1 for *CMPG, 0 for LCMP)
     */
    record Cmp(TraceValue a, TraceValue b, int nanResult) implements TraceValue {
        @Override
        public int getSize() {
            return 1;
        }

        @Override
        public boolean isSymbolic() {
            return true;
        }
    }

    /** The result of {@code NEW} before its constructor ran; after, it reads as the constructed object. */
    final class Uninit implements TraceValue {
        final Type type;
        Object instance;
        boolean constructed;

        Uninit(Type type) {
            this.type = type;
        }

        @Override
        public int getSize() {
            return 1;
        }

        @Override
        public TraceValue resolved() {
            return constructed ? Concrete.ref(instance) : this;
        }

        @Override
        public String toString() {
            return "new " + type.getClassName();
        }
    }

    /**
     * A lambda or method reference created by the traced code: calling its interface method runs (or
     * interprets) {@code impl} on the captured values followed by the call's arguments.
     */
    record Lambda(Type iface, String samName, Handle impl, List<TraceValue> captured, String createdAt)
            implements TraceValue {
        @Override
        public int getSize() {
            return 1;
        }

        @Override
        public boolean isSymbolic() {
            return captured.stream().anyMatch(TraceValue::isSymbolic);
        }
    }

    /** An unused slot: the second half of a long or double, a local not yet assigned, or one dropped as dead. */
    enum Empty implements TraceValue {
        INSTANCE;

        @Override
        public int getSize() {
            return 1;
        }
    }
}
