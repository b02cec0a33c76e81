package dev.janus.ops;

import dev.janus.DType;

/**
 * The type of one attribute of a {@link CustomOp}: which Java value it holds in {@link Attrs} and which
 * accessor reads it ({@code INT → a.i(name)}, {@code FLOAT → a.d(name)}, ...).
 */
public enum AttrType {
    /** an {@code Integer}, read with {@link Attrs#i} */
    INT,
    /** a {@code Long}, read with {@link Attrs#l} */
    LONG,
    /** a {@code Double}, read with {@link Attrs#d} */
    FLOAT,
    /** a {@code Boolean}, read with {@link Attrs#b} */
    BOOL,
    /** a {@code String}, read with {@link Attrs#s} */
    STRING,
    /** an {@code int[]}, read with {@link Attrs#ints} */
    INTS,
    /** a {@code long[]}, read with {@link Attrs#longs} */
    LONGS,
    /** a {@link DType}, read with {@link Attrs#dtype} */
    DTYPE;

    /**
     * {@code v} as this type's Java value, widening numbers where no information is lost (an {@code Integer}
     * for a LONG, any number for a FLOAT), or null when it does not fit.
     */
    Object coerce(Object v) {
        return switch (this) {
            case INT -> v instanceof Integer ? v
                    : v instanceof Long l && l == l.intValue() ? Integer.valueOf(l.intValue()) : null;
            case LONG -> v instanceof Integer || v instanceof Long ? Long.valueOf(((Number) v).longValue()) : null;
            case FLOAT -> v instanceof Double ? v : v instanceof Number n ? Double.valueOf(n.doubleValue()) : null;
            case BOOL -> v instanceof Boolean ? v : null;
            case STRING -> v instanceof String ? v : null;
            case INTS -> v instanceof int[] a ? a.clone() : null;
            case LONGS -> v instanceof long[] a ? a.clone() : null;
            case DTYPE -> v instanceof DType ? v : null;
        };
    }
}
