package dev.janus.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of plain Java values (what {@code Optimizer.stateDict()} returns) as JSON that keeps every Java
 * type: each value is an object with one field naming its type, {@code {"f64": 0.001}}, {@code {"i64": 12}},
 * {@code {"i32": 0}}, {@code {"bool": true}}, {@code {"str": "Adam"}}, {@code {"null": true}},
 * {@code {"list": [...]}}, {@code {"map": [[key, value], ...]}} (keys typed too), and tensors as
 * {@code {"tensor": "key"}}, stored separately under that key. Doubles that JSON cannot hold are
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
final class TypedValues {
    /** Trees deeper than this are refused when reading. */
    private static final int MAX_DEPTH = 32;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TypedValues() {}

    /** {@code value} as typed JSON; tensors go into {@code tensors} under keys made from {@code prefix} and the path. */
    static JsonNode encode(Object value, String prefix, Map<String, Tensor> tensors) {
        ObjectNode o = F.objectNode();
        if (value == null) {
            o.put("null", true);
        } else if (value instanceof Boolean b) {
            o.put("bool", b);
        } else if (value instanceof Integer i) {
            o.put("i32", i);
        } else if (value instanceof Long l) {
            o.put("i64", l);
        } else if (value instanceof Double d) {
            o.set("f64", AttrCodec.doubleNode(d));
        } else if (value instanceof String s) {
            o.put("str", s);
        } else if (value instanceof Tensor t) {
            String key = prefix;
            for (int k = 1; tensors.containsKey(key); k++) {
                key = prefix + "#" + k;
            }
            tensors.put(key, t);
            o.put("tensor", key);
        } else if (value instanceof List<?> list) {
            ArrayNode a = o.putArray("list");
            for (int i = 0; i < list.size(); i++) {
                a.add(encode(list.get(i), prefix + "/" + i, tensors));
            }
        } else if (value instanceof Map<?, ?> map) {
            ArrayNode a = o.putArray("map");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                a.addArray().add(encode(e.getKey(), prefix, tensors))
                        .add(encode(e.getValue(), prefix + "/" + e.getKey(), tensors));
            }
        } else {
            throw new IllegalArgumentException("cannot store a " + value.getClass().getName() + " at " + prefix
                    + " (state dicts hold booleans, ints, longs, doubles, strings, tensors, lists and maps)");
        }
        return o;
    }

    /** The Java value of typed JSON, its tensors looked up in {@code tensors} (the keys used are added to {@code used}). */
    static Object decode(JsonNode n, Map<String, Tensor> tensors, List<String> used, String where)
            throws ModelFormatException {
        return decode(n, tensors, used, where, 0);
    }

    private static Object decode(JsonNode n, Map<String, Tensor> tensors, List<String> used, String where, int depth)
            throws ModelFormatException {
        if (depth > MAX_DEPTH || n == null || !n.isObject() || n.size() != 1) {
            throw new ModelFormatException(where + ": expected one {\"type\": value} object, got " + shorten(n));
        }
        Map.Entry<String, JsonNode> e = n.properties().iterator().next();
        JsonNode v = e.getValue();
        switch (e.getKey()) {
            case "null": return null;
            case "bool": return require(v.isBoolean(), v, where).booleanValue();
            case "i32": return require(v.isIntegralNumber() && v.canConvertToInt(), v, where).intValue();
            case "i64": return require(v.isIntegralNumber() && v.canConvertToLong(), v, where).longValue();
            case "f64": return AttrCodec.readDouble(v, where);
            case "str": return require(v.isTextual(), v, where).textValue();
            case "tensor": {
                Tensor t = tensors.get(require(v.isTextual(), v, where).textValue());
                if (t == null) {
                    throw new ModelFormatException(where + ": no tensor '" + v.textValue() + "' in the file");
                }
                used.add(v.textValue());
                return t;
            }
            case "list": {
                require(v.isArray(), v, where);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    out.add(decode(v.get(i), tensors, used, where + "[" + i + "]", depth + 1));
                }
                return out;
            }
            case "map": {
                require(v.isArray(), v, where);
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < v.size(); i++) {
                    JsonNode pair = v.get(i);
                    require(pair.isArray() && pair.size() == 2, pair, where + "[" + i + "]");
                    Object key = decode(pair.get(0), tensors, used, where + "[" + i + "].key", depth + 1);
                    if (out.put(key, decode(pair.get(1), tensors, used, where + "." + key, depth + 1)) != null) {
                        throw new ModelFormatException(where + ": key " + key + " appears twice");
                    }
                }
                return out;
            }
            default:
                throw new ModelFormatException(where + ": unknown value type '" + e.getKey() + "'");
        }
    }

    private static JsonNode require(boolean ok, JsonNode v, String where) throws ModelFormatException {
        if (!ok) {
            throw new ModelFormatException(where + ": unexpected value " + shorten(v));
        }
        return v;
    }

    private static String shorten(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
