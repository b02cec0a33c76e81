package dev.janus.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.DType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes in graph.json: each one an object naming its Java type, {@code {"type": "int[]", "value": [1]}},
 * so an archive reads back into exactly the {@link Attrs} it was saved from. {@link #schema} is the attribute
 * table of the op set: which attributes each op takes and which types it reads them as. Saving checks it too,
 * so Janus never writes an archive it would refuse to read.
 */
final class AttrCodec {
    /** Arrays longer than this are refused (they are per-axis lists; ranks are far smaller). */
    static final int MAX_ARRAY = 64;

    /** The types an attribute value may have in a file, by their names there. */
    enum Type {
        BOOL("bool"), INT("int"), LONG("long"), DOUBLE("double"), STRING("string"), DTYPE("dtype"), INTS("int[]"),
        LONGS("long[]");

        final String json;

        Type(String json) {
            this.json = json;
        }

        static Type byJson(String name) {
            for (Type t : values()) {
                if (t.json.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** What an op reads an attribute as (the accessor of {@link Attrs} it uses), and the file types that fit. */
    enum Want {
        /** {@code b()} */
        BOOL(Type.BOOL),
        /** {@code i()} or {@code l()} */
        INTEGER(Type.INT, Type.LONG),
        /** {@code d()} */
        REAL(Type.DOUBLE, Type.INT, Type.LONG),
        /** {@code dtype()} */
        DTYPE(Type.DTYPE),
        /** {@code ints()} */
        INTS(Type.INTS),
        /** {@code longs()} */
        LONGS(Type.LONGS),
        /** {@code s()} */
        STRING(Type.STRING);

        final List<Type> accepts;

        Want(Type... accepts) {
            this.accepts = List.of(accepts);
        }
    }

    private AttrCodec() {}

    /** The attributes {@code op} takes, all required. A switch with no default: a new op must say. */
    static Map<String, Want> schema(Op op) {
        return switch (op) {
            case NEG, ABS, SIGN, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, RELU, ERF, FLOOR,
                    CEIL, ROUND, NOT, IS_NAN, IS_INF, STOP_GRADIENT -> Map.of();
            case CAST -> Map.of("dtype", Want.DTYPE);
            case ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, AND, OR, XOR, WHERE -> Map.of();
            case SUM, PROD, MAX, MIN -> Map.of("axes", Want.INTS, "keepDim", Want.BOOL);
            case ARGMAX, ARGMIN -> Map.of("axis", Want.INTEGER, "keepDim", Want.BOOL);
            case CUMSUM, CONCAT, GATHER, SCATTER_ADD, RFFT -> Map.of("axis", Want.INTEGER);
            case RESHAPE, EXPAND -> Map.of("shape", Want.LONGS);
            case PERMUTE -> Map.of("perm", Want.INTS);
            case FLIP -> Map.of("axes", Want.INTS);
            case SLICE -> Map.of("starts", Want.LONGS, "stops", Want.LONGS, "steps", Want.LONGS);
            case PAD -> Map.of("before", Want.LONGS, "after", Want.LONGS, "value", Want.REAL);
            case MATMUL -> Map.of("transA", Want.BOOL, "transB", Want.BOOL);
            case CONV2D -> Map.of("stride", Want.INTS, "padding", Want.INTS, "dilation", Want.INTS, "groups", Want.INTEGER);
            case CONV_TRANSPOSE2D -> Map.of("stride", Want.INTS, "padding", Want.INTS, "dilation", Want.INTS,
                    "groups", Want.INTEGER, "outputPadding", Want.INTS);
            case CONV2D_WEIGHT_GRAD -> Map.of("stride", Want.INTS, "padding", Want.INTS, "dilation", Want.INTS,
                    "groups", Want.INTEGER, "weightShape", Want.LONGS);
            case MAX_POOL2D, MAX_POOL2D_GRAD -> Map.of("kernel", Want.INTS, "stride", Want.INTS, "padding", Want.INTS,
                    "dilation", Want.INTS);
            case FFT -> Map.of("axis", Want.INTEGER, "inverse", Want.BOOL);
            case IRFFT -> Map.of("axis", Want.INTEGER, "n", Want.INTEGER);
            case IF, LOOP, FUSED -> Map.of();
            case CUSTOM -> throw new IllegalArgumentException("a custom op's table comes from its registration");
        };
    }

    /** A custom op's table: its name attribute, then the attributes it was registered with. */
    static Map<String, Want> schema(CustomOp op) {
        Map<String, Want> m = new LinkedHashMap<>();
        m.put(CustomOp.NAME_ATTR, Want.STRING);
        op.attributes().forEach((name, type) -> m.put(name, switch (type) {
            case INT, LONG -> Want.INTEGER;
            case FLOAT -> Want.REAL;
            case BOOL -> Want.BOOL;
            case STRING -> Want.STRING;
            case INTS -> Want.INTS;
            case LONGS -> Want.LONGS;
            case DTYPE -> Want.DTYPE;
        }));
        return m;
    }

    /**
     * The registered op a custom node's attributes in graph.json name. NOTE: an archive does not carry the
     * op's code, so loading needs the same registration in this JVM; the check is here, before anything runs.
     */
    private static CustomOp registered(JsonNode node, String where) throws ModelFormatException {
        JsonNode name = node == null ? null : node.path(CustomOp.NAME_ATTR).get("value");
        if (name == null || !name.isTextual()) {
            throw new ModelFormatException(where + ": a custom node needs the string attribute '" + CustomOp.NAME_ATTR
                    + "' naming its op");
        }
        return CustomOps.find(name.textValue()).orElseThrow(() -> new ModelFormatException("archive uses custom op '"
                + name.textValue() + "', which is not registered in this JVM; register it (CustomOp.define(...)"
                + ".register()) before loading (" + where + ")"));
    }

    /** The attributes as graph.json writes them; throws {@link IllegalArgumentException} for what cannot be read back. */
    static ObjectNode encode(Op op, Attrs attrs, String where) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Map<String, Want> schema = op == Op.CUSTOM ? schema(CustomOps.of(attrs)) : schema(op);
        for (Map.Entry<String, Object> e : attrs.asMap().entrySet()) {
            Type type = typeOf(e.getValue());
            Want want = schema.get(e.getKey());
            if (type == null || want == null || !want.accepts.contains(type)) {
                throw new IllegalArgumentException("cannot save " + where + ": attribute '" + e.getKey() + "' = "
                        + e.getValue() + " is not in the op set's table for '" + op.opName() + "' " + schema);
            }
            ObjectNode a = out.putObject(e.getKey());
            a.put("type", type.json);
            a.set("value", value(type, e.getValue()));
        }
        for (String required : schema.keySet()) {
            if (!attrs.has(required)) {
                throw new IllegalArgumentException("cannot save " + where + ": attribute '" + required + "' is missing");
            }
        }
        return out;
    }

    private static Type typeOf(Object v) {
        if (v instanceof Boolean) {
            return Type.BOOL;
        } else if (v instanceof Integer) {
            return Type.INT;
        } else if (v instanceof Long) {
            return Type.LONG;
        } else if (v instanceof Double) {
            return Type.DOUBLE;
        } else if (v instanceof String) {
            return Type.STRING;
        } else if (v instanceof DType) {
            return Type.DTYPE;
        } else if (v instanceof int[] a) {
            return a.length <= MAX_ARRAY ? Type.INTS : null;
        } else if (v instanceof long[] a) {
            return a.length <= MAX_ARRAY ? Type.LONGS : null;
        }
        return null;
    }

    private static JsonNode value(Type type, Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (type) {
            case BOOL -> f.booleanNode((Boolean) v);
            case INT -> f.numberNode((Integer) v);
            case LONG -> f.numberNode((Long) v);
            case DOUBLE -> doubleNode((Double) v);
            case STRING -> f.textNode((String) v);
            case DTYPE -> f.textNode(((DType) v).shortName());
            case INTS -> {
                ArrayNode a = f.arrayNode();
                for (int x : (int[]) v) {
                    a.add(x);
                }
                yield a;
            }
            case LONGS -> {
                ArrayNode a = f.arrayNode();
                for (long x : (long[]) v) {
                    a.add(x);
                }
                yield a;
            }
        };
    }

    /** A finite double as a JSON number (exact: Java prints the shortest decimal that reads back the same). */
    static JsonNode doubleNode(double d) {
        if (Double.isNaN(d)) {
            return JsonNodeFactory.instance.textNode("NaN");
        } else if (Double.isInfinite(d)) {
            return JsonNodeFactory.instance.textNode(d > 0 ? "Infinity" : "-Infinity");
        }
        return JsonNodeFactory.instance.numberNode(d);
    }

    /** Reads {@code node}'s attributes, checked against the op's table. {@code where} names the node. */
    static Attrs decode(Op op, JsonNode node, String where) throws ModelFormatException {
        CustomOp custom = op == Op.CUSTOM ? registered(node, where) : null;
        Map<String, Want> schema = custom != null ? schema(custom) : schema(op);
        if (node == null || node.isNull()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ModelFormatException(where + ": 'attrs' must be an object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String at = where + ": attribute '" + e.getKey() + "'";
            Want want = schema.get(e.getKey());
            if (want == null) {
                throw new ModelFormatException(at + " is not an attribute of '" + op.opName() + "' (it takes "
                        + (schema.isEmpty() ? "none" : schema.keySet()) + ")");
            }
            values.put(e.getKey(), decodeOne(want, e.getValue(), at));
        }
        for (String required : schema.keySet()) {
            if (!values.containsKey(required)) {
                throw new ModelFormatException(where + ": attribute '" + required + "' of '" + op.opName()
                        + "' is missing");
            }
        }
        List<Object> pairs = new ArrayList<>();
        values.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        Attrs attrs = Attrs.of(pairs.toArray());
        if (custom == null) {
            return attrs;
        }
        try {
            return custom.nodeAttrs(attrs); // the registered types (an int in the file for a FLOAT becomes a double)
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private static Object decodeOne(Want want, JsonNode a, String at) throws ModelFormatException {
        if (!a.isObject() || !a.has("type") || !a.has("value")) {
            throw new ModelFormatException(at + " must be an object {\"type\": ..., \"value\": ...}");
        }
        Type type = a.get("type").isTextual() ? Type.byJson(a.get("type").textValue()) : null;
        if (type == null) {
            throw new ModelFormatException(at + " has unknown type " + a.get("type") + " (one of bool, int, long, "
                    + "double, string, dtype, int[], long[])");
        }
        if (!want.accepts.contains(type)) {
            throw new ModelFormatException(at + " has type " + type.json + " but the op reads it as "
                    + want.accepts.get(0).json);
        }
        JsonNode v = a.get("value");
        return switch (type) {
            case BOOL -> {
                require(v.isBoolean(), at, "a boolean", v);
                yield v.booleanValue();
            }
            case INT -> {
                require(v.isIntegralNumber() && v.canConvertToInt(), at, "an int", v);
                yield v.intValue();
            }
            case LONG -> {
                require(v.isIntegralNumber() && v.canConvertToLong(), at, "a long", v);
                yield v.longValue();
            }
            case DOUBLE -> readDouble(v, at);
            case STRING -> {
                require(v.isTextual(), at, "a string", v);
                yield v.textValue();
            }
            case DTYPE -> dtype(v, at);
            case INTS -> {
                long[] l = integers(v, at, true);
                int[] out = new int[l.length];
                for (int i = 0; i < l.length; i++) {
                    out[i] = (int) l[i];
                }
                yield out;
            }
            case LONGS -> integers(v, at, false);
        };
    }

    static double readDouble(JsonNode v, String at) throws ModelFormatException {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new ModelFormatException(at + " must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", got " + v);
    }

    static DType dtype(JsonNode v, String at) throws ModelFormatException {
        if (v != null && v.isTextual()) {
            for (DType t : DType.values()) {
                if (t.shortName().equals(v.textValue())) {
                    return t;
                }
            }
        }
        throw new ModelFormatException(at + " must be a dtype (bool, i32, i64, f32, f64), got " + v);
    }

    /** An array of at most {@link #MAX_ARRAY} integers, each fitting an int when {@code ints}. */
    static long[] integers(JsonNode v, String at, boolean ints) throws ModelFormatException {
        if (v == null || !v.isArray() || v.size() > MAX_ARRAY) {
            throw new ModelFormatException(at + " must be an array of at most " + MAX_ARRAY + " integers, got " + v);
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            boolean fits = x.isIntegralNumber() && (ints ? x.canConvertToInt() : x.canConvertToLong());
            if (!fits) {
                throw new ModelFormatException(at + " element " + i + " is not " + (ints ? "an int" : "a long")
                        + ": " + x);
            }
            out[i] = x.longValue();
        }
        return out;
    }

    private static void require(boolean ok, String at, String what, JsonNode v) throws ModelFormatException {
        if (!ok) {
            throw new ModelFormatException(at + " must be " + what + ", got " + v);
        }
    }
}
