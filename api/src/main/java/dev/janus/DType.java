package dev.janus;

/**
 * Element types. Promotion follows PyTorch: {@code BOOL < INT32 < INT64 < FLOAT32 < FLOAT64}; mixing an
 * integer and a floating type gives the floating type, and true division of integers gives FLOAT32.
 */
public enum DType {
    /** 1-byte truth values. */
    BOOL("bool", 1),
    /** 32-bit signed integers. */
    INT32("i32", 4),
    /** 64-bit signed integers; the type of indices and of integer sums. */
    INT64("i64", 8),
    /** IEEE 754 single precision; the default type of floating tensors. */
    FLOAT32("f32", 4),
    /** IEEE 754 double precision; what gradient checks run in. */
    FLOAT64("f64", 8);

    private final String shortName;
    private final int byteSize;

    DType(String shortName, int byteSize) {
        this.shortName = shortName;
        this.byteSize = byteSize;
    }

    /** The short name used in IR text, e.g. {@code f32}. */
    public String shortName() {
        return shortName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public boolean isIntegral() {
        return this == INT32 || this == INT64;
    }

    /** The type both operands of a binary op are converted to. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The floating type an op that needs floats computes in: FLOAT64 stays, everything else is FLOAT32. */
    public DType toFloating() {
        return this == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    /** The type of a sum or product of this type: integers and booleans accumulate in INT64. */
    public DType accumulating() {
        return isFloating() ? this : INT64;
    }

    /** Parses a short name ({@code f32}) or an enum name ({@code FLOAT32}). */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.shortName.equals(name) || t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of bool, i32, i64, f32, f64");
    }
}
