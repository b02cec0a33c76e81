package dev.janus.ops;

import dev.janus.DType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attributes of one op application: an immutable, ordered map from name to a plain value
 * ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code int[]},
 * {@code long[]} or {@link DType}). Equality compares arrays by content, so equal applications can be merged.
 *
 * <pre>{@code Attrs a = Attrs.of("axes", new int[] {1}, "keepDim", true); a.ints("axes");}</pre>
 */
public final class Attrs {
    public static final Attrs NONE = new Attrs(Map.of());
    private final Map<String, Object> values;

    private Attrs(Map<String, Object> values) {
        this.values = values;
    }

    /** Builds attributes from alternating names and values. */
    public static Attrs of(Object... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("Attrs.of needs name/value pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            m.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return new Attrs(Collections.unmodifiableMap(m));
    }

    /** All attributes, in insertion order (read-only). */
    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing attribute '" + name + "' (have " + values.keySet() + ")");
        }
        return v;
    }

    public int i(String name) {
        return ((Number) get(name)).intValue();
    }

    public long l(String name) {
        return ((Number) get(name)).longValue();
    }

    public double d(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean b(String name) {
        return (Boolean) get(name);
    }

    public String s(String name) {
        return (String) get(name);
    }

    public DType dtype(String name) {
        return (DType) get(name);
    }

    public int[] ints(String name) {
        return ((int[]) get(name)).clone();
    }

    public long[] longs(String name) {
        return ((long[]) get(name)).clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attrs other) || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {other.values.get(e.getKey())})) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + Arrays.deepHashCode(new Object[] {e.getValue()});
        }
        return h;
    }

    /** Text form {@code {axes=[1], keepDim=true}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            Object v = e.getValue();
            String text = v instanceof int[] a ? Arrays.toString(a) : v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v);
            sb.append(e.getKey()).append('=').append(text);
        }
        return sb.append('}').toString();
    }
}
