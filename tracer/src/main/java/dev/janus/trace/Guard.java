package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.nn.Module;
import java.util.Objects;

/**
 * One fact a traced graph was specialized on: a call whose arguments break it traces again.
 *
 * <pre>{@code
 * for (Guard g : traced.guards()) System.out.println(g);   // arg 0 (x): dim 0 == 32
 * }</pre>
 *
 * @param arg      the argument index (0 = first argument after the receiver), or -1 for the receiver
 * @param argName  the parameter's name in the source, or null when the class has no debug names
 * @param kind     what is checked
 * @param dim      the dim for {@link Kind#DIM}, else -1
 * @param expected the value seen when tracing
 */
public record Guard(int arg, String argName, Kind kind, int dim, Object expected) {

    /** What a guard checks. */
    public enum Kind {
        /** A tensor argument's dtype. */
        DTYPE,
        /** A tensor argument's rank. */
        RANK,
        /** The size of a dim of a tensor argument that is not dynamic, or that the traced code read. */
        DIM,
        /** A number, boolean, string or enum argument equals the traced one (it was baked into the graph). */
        VALUE,
        /** An object argument is the very object traced with (its fields were read as constants). */
        IDENTITY,
        /** A dynamic scalar argument is still a number of the same Java type. */
        SCALAR_TYPE,
        /** The receiver module's training mode (dropout, batch norm behave differently). */
        TRAINING
    }

    /** Null when {@code actual} (the argument, or the receiver for TRAINING) passes, else why not. */
    public String check(Object actual) {
        return switch (kind) {
            case DTYPE -> actual instanceof Tensor t ? differs("dtype", expected, t.dtype()) : notTensor(actual);
            case RANK -> actual instanceof Tensor t ? differs("rank", expected, t.rank()) : notTensor(actual);
            case DIM -> actual instanceof Tensor t ? t.rank() <= dim ? notTensor(actual)
                    : ((Number) expected).longValue() == t.dim(dim) ? null // the per-call path: no strings, no boxing
                    : differs("dim " + dim, expected, t.dim(dim)) : notTensor(actual);
            case VALUE -> differs("value", expected, actual);
            case IDENTITY -> actual == expected ? null : who() + ": a different object (was " + identity(expected)
                    + ", now " + identity(actual) + ")";
            case SCALAR_TYPE -> actual != null && actual.getClass() == expected ? null
                    : who() + ": type was " + ((Class<?>) expected).getSimpleName() + ", now " + typeName(actual);
            case TRAINING -> actual instanceof Module m ? differs("training mode", expected, m.isTraining()) : null;
        };
    }

    private String differs(String what, Object was, Object now) {
        if (Objects.equals(was, now)) {
            return null;
        }
        boolean sameText = show(was).equals(show(now));
        return who() + ": " + what + " was " + show(was) + (sameText ? " (" + typeName(was) + ")" : "") + ", now "
                + show(now) + (sameText ? " (" + typeName(now) + ")" : "");
    }

    private String notTensor(Object actual) {
        return who() + ": was a tensor, now " + (actual instanceof Tensor t ? "a tensor of rank " + t.rank() : typeName(actual));
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    private static String identity(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    private static String show(Object o) {
        return o instanceof dev.janus.DType d ? d.shortName() : String.valueOf(o);
    }

    private String who() {
        return arg < 0 ? "receiver" : "arg " + arg + (argName != null ? " (" + argName + ")" : "");
    }

    /** {@code arg 0 (x): dim 0 == 32}. */
    @Override
    public String toString() {
        return who() + ": " + switch (kind) {
            case DTYPE -> "dtype == " + show(expected);
            case RANK -> "rank == " + expected;
            case DIM -> "dim " + dim + " == " + expected;
            case VALUE -> "value == " + show(expected);
            case IDENTITY -> "is " + identity(expected);
            case SCALAR_TYPE -> "dynamic " + ((Class<?>) expected).getSimpleName();
            case TRAINING -> "training mode == " + expected;
        };
    }
}
