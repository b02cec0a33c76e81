package dev.janus.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.janus.io.Signature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's predict bodies. Row format: {@code {"instances": [row, ...]}} where a row is the input's
 * value for one example, or {@code {"x": ..., "y": ...}} for a model with several inputs; answered
 * {@code {"predictions": [row, ...]}}. Columnar: {@code {"inputs": value}} or {@code {"inputs": {"x": ...}}}
 * with the batch dim included; answered {@code {"outputs": value}} or {@code {"outputs": {"name": ...}}}. An
 * optional {@code "signature_name"} must be {@code serving_default} or the saved function's name.
 */
final class PredictCodec {
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private PredictCodec() {}

    /**
     * A decoded body.
     *
     * @param rows          true for {@code instances}, false for {@code inputs}
     * @param signatureName the requested signature, or null
     * @param named         inputs by name, or null when one unnamed value was given
     * @param unnamed       the one unnamed value, or null
     */
    record Request(boolean rows, String signatureName, Map<String, JsonTensors.Dense> named,
            JsonTensors.Dense unnamed) {}

    /** Parses a predict body, or throws a 400 naming the problem. */
    static Request parse(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            return parse(p);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request parse(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("the body must be a JSON object with \"instances\" or \"inputs\"");
        }
        String signature = null;
        Request values = null;
        JsonToken t;
        for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "signature_name" -> signature = readString(p, field);
                case "instances", "inputs" -> {
                    if (values != null) {
                        throw ApiException.badRequest("give either \"instances\" (row format) or \"inputs\" (columnar), "
                                + "not both");
                    }
                    values = field.equals("instances") ? readInstances(p) : readInputs(p);
                }
                default -> throw ApiException.badRequest("unknown field \"" + JsonTensors.abbreviate(field)
                        + "\"; a predict body has \"instances\" or \"inputs\" and optionally \"signature_name\"");
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw ApiException.badRequest("malformed JSON: content after the body's object");
        }
        if (values == null) {
            throw ApiException.badRequest("the body has neither \"instances\" (row format) nor \"inputs\" (columnar)");
        }
        return new Request(values.rows, signature, values.named, values.unnamed);
    }

    private static String readString(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw ApiException.badRequest("\"" + field + "\" must be a string");
        }
        return p.getText();
    }

    private static Request readInstances(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("\"instances\" must be a list with one entry per example");
        }
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            throw ApiException.badRequest("\"instances\" is empty");
        }
        if (t != JsonToken.START_OBJECT) {
            return new Request(true, null, null, JsonTensors.readElements(p, "instances"));
        }
        Map<String, List<JsonTensors.Dense>> columns = new LinkedHashMap<>();
        int i = 0;
        for (; t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            if (t != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("instances[" + i + "]: every instance must be an object when the first is");
            }
            Map<String, JsonTensors.Dense> row = readObject(p, "instances[" + i + "]");
            if (i > 0 && !row.keySet().equals(columns.keySet())) {
                throw ApiException.badRequest("instances[" + i + "] names " + row.keySet() + " but instances[0] names "
                        + columns.keySet());
            }
            for (Map.Entry<String, JsonTensors.Dense> e : row.entrySet()) {
                columns.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
        }
        Map<String, JsonTensors.Dense> named = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonTensors.Dense>> e : columns.entrySet()) {
            named.put(e.getKey(), stack(e.getValue(), e.getKey()));
        }
        return new Request(true, null, named, null);
    }

    private static Request readInputs(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            return new Request(false, null, readObject(p, "inputs"), null);
        }
        return new Request(false, null, null, JsonTensors.read(p, "inputs"));
    }

    /** An object of named values; the parser is on its start and is left on its end. */
    private static Map<String, JsonTensors.Dense> readObject(JsonParser p, String where) throws IOException {
        Map<String, JsonTensors.Dense> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            p.nextToken();
            out.put(name, JsonTensors.read(p, where + "." + name));
        }
        return out;
    }

    /** One value per instance → one value with a leading instance dim. */
    private static JsonTensors.Dense stack(List<JsonTensors.Dense> parts, String name) {
        JsonTensors.Dense first = parts.get(0);
        int total = 0;
        boolean allInts = true;
        for (int i = 0; i < parts.size(); i++) {
            JsonTensors.Dense d = parts.get(i);
            if (!Arrays.equals(d.shape, first.shape) || d.bools != first.bools) {
                throw ApiException.badRequest("instances[" + i + "]." + name + " has shape " + d + " but instances[0]."
                        + name + " has " + first);
            }
            total += d.values.length;
            allInts &= d.ints != null;
        }
        double[] values = new double[total];
        long[] ints = allInts ? new long[total] : null;
        int at = 0;
        for (JsonTensors.Dense d : parts) {
            System.arraycopy(d.values, 0, values, at, d.values.length);
            if (allInts) {
                System.arraycopy(d.ints, 0, ints, at, d.ints.length);
            }
            at += d.values.length;
        }
        long[] shape = new long[first.shape.length + 1];
        shape[0] = parts.size();
        System.arraycopy(first.shape, 0, shape, 1, first.shape.length);
        return new JsonTensors.Dense(shape, values, ints, first.bools);
    }

    /**
     * The request's values as the model's inputs, in signature order, after checking names, dtypes and shapes
     * (dynamic dims take any size).
     */
    static HostArray[] bind(Request r, Signature sig, String functionName) {
        if (r.signatureName() != null && !r.signatureName().equals("serving_default")
                && !r.signatureName().equals(functionName)) {
            throw ApiException.badRequest("unknown signature_name \"" + JsonTensors.abbreviate(r.signatureName())
                    + "\"; this model has \"serving_default\" (also called \"" + functionName + "\")");
        }
        List<Signature.Slot> slots = sig.inputs();
        HostArray[] out = new HostArray[slots.size()];
        if (r.unnamed() != null) {
            if (slots.size() != 1) {
                throw ApiException.badRequest("the model takes " + slots.size() + " inputs " + sig
                        + "; give them by name");
            }
            out[0] = checked(r.unnamed(), slots.get(0));
            return out;
        }
        for (String name : r.named().keySet()) {
            if (sig.inputIndex(name) < 0) {
                throw ApiException.badRequest("the model has no input '" + JsonTensors.abbreviate(name)
                        + "'; its signature is " + sig);
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            JsonTensors.Dense d = r.named().get(slots.get(i).name());
            if (d == null) {
                throw ApiException.badRequest("input '" + slots.get(i).name() + "' is missing; the signature is " + sig);
            }
            out[i] = checked(d, slots.get(i));
        }
        return out;
    }

    private static HostArray checked(JsonTensors.Dense d, Signature.Slot slot) {
        String what = "input '" + slot.name() + "'";
        HostArray a = d.as(slot.spec().dtype(), what);
        long[] want = slot.spec().shape().dims();
        boolean ok = want.length == d.shape.length;
        for (int i = 0; ok && i < want.length; i++) {
            ok = slot.isDynamic(i) || want[i] == d.shape[i];
        }
        if (!ok) {
            throw ApiException.badRequest(what + " must be " + slot + " (? takes any size), got shape "
                    + Arrays.toString(d.shape));
        }
        return a;
    }

    /** The answer: {@code predictions} (row format) or {@code outputs} (columnar). */
    static byte[] encode(boolean rows, Signature sig, HostArray[] outputs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 16 * outputs[0].size());
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            if (rows) {
                writePredictions(g, sig, outputs);
            } else {
                g.writeFieldName("outputs");
                writeNamed(g, sig, outputs, -1);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writePredictions(JsonGenerator g, Signature sig, HostArray[] outputs) throws IOException {
        long n = -1;
        for (int i = 0; i < outputs.length; i++) {
            long[] s = outputs[i].shape();
            if (s.length == 0 || (n >= 0 && s[0] != n)) {
                throw ApiException.badRequest("output '" + sig.outputs().get(i).name() + "' has shape "
                        + Arrays.toString(s) + ", not one row per instance; ask with the columnar format "
                        + "{\"inputs\": ...} instead");
            }
            n = s[0];
        }
        g.writeFieldName("predictions");
        g.writeStartArray();
        for (long r = 0; r < n; r++) {
            writeNamed(g, sig, outputs, r);
        }
        g.writeEndArray();
    }

    /** One output as its value, several as an object by name; {@code row >= 0} writes that row only. */
    private static void writeNamed(JsonGenerator g, Signature sig, HostArray[] outputs, long row) throws IOException {
        if (outputs.length == 1) {
            JsonTensors.write(g, row < 0 ? outputs[0] : outputs[0].row(row));
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < outputs.length; i++) {
            g.writeFieldName(sig.outputs().get(i).name());
            JsonTensors.write(g, row < 0 ? outputs[i] : outputs[i].row(row));
        }
        g.writeEndObject();
    }
}
