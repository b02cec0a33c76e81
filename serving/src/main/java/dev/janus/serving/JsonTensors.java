package dev.janus.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.janus.DType;
import java.io.IOException;
import java.util.Arrays;

/**
 * Nested JSON arrays of numbers or booleans ↔ {@link HostArray}s. Parsing streams tokens into flat arrays while
 * checking that the nesting is regular (every row of a level has the same length); writing walks the dims.
 */
final class JsonTensors {
    /** Deeper nesting is refused (no model input has this many dims). */
    static final int MAX_RANK = 32;

    private JsonTensors() {}

    /**
     * A nested array (or one scalar) as read: its dims, its values as doubles and, while every value is an
     * integer, as longs too (int64 inputs need all 64 bits).
     */
    static final class Dense {
        final long[] shape;
        final double[] values;
        final long[] ints;
        final boolean bools;

        Dense(long[] shape, double[] values, long[] ints, boolean bools) {
            this.shape = shape;
            this.values = values;
            this.ints = ints;
            this.bools = bools;
        }

        /** These values as {@code dtype}, or a message saying why they are not of that type. */
        HostArray as(DType dtype, String what) {
            int n = values.length;
            switch (dtype) {
                case FLOAT32, FLOAT64 -> requireNumbers(what, dtype);
                case INT32, INT64 -> {
                    requireNumbers(what, dtype);
                    if (ints == null) {
                        throw ApiException.badRequest(what + " is " + dtype.shortName() + " and takes integers, got "
                                + "a number with a fraction or exponent");
                    }
                }
                case BOOL -> {
                    if (!bools && n > 0) {
                        throw ApiException.badRequest(what + " is bool and takes true/false, got numbers");
                    }
                }
            }
            Object data = HostArray.newArray(dtype, n);
            for (int i = 0; i < n; i++) {
                switch (dtype) {
                    case FLOAT32 -> ((float[]) data)[i] = (float) values[i];
                    case FLOAT64 -> ((double[]) data)[i] = values[i];
                    case INT32 -> ((int[]) data)[i] = toInt(ints[i], what);
                    case INT64 -> ((long[]) data)[i] = ints[i];
                    case BOOL -> ((boolean[]) data)[i] = values[i] != 0;
                }
            }
            return new HostArray(dtype, shape, data, 0);
        }

        private void requireNumbers(String what, DType dtype) {
            if (bools) {
                throw ApiException.badRequest(what + " is " + dtype.shortName() + " and takes numbers, got true/false");
            }
        }

        private static int toInt(long v, String what) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw ApiException.badRequest(what + " is i32 and " + v + " does not fit in 32 bits");
            }
            return (int) v;
        }

        @Override
        public String toString() {
            return Arrays.toString(shape);
        }
    }

    /** Reads the value at the parser's current token (a scalar or an array) and leaves the parser on its last token. */
    static Dense read(JsonParser p, String what) throws IOException {
        Reader r = new Reader(p, what);
        r.value(0);
        return r.finish();
    }

    /**
     * Reads the elements of an array whose start the caller consumed, with the parser on the first element's
     * token; the result has one more dim in front (the number of elements).
     */
    static Dense readElements(JsonParser p, String what) throws IOException {
        Reader r = new Reader(p, what);
        r.elements(0);
        return r.finish();
    }

    /** Streams values into growing arrays and records each level's length. */
    private static final class Reader {
        final JsonParser p;
        final String what;
        final long[] dims = new long[MAX_RANK + 1];
        int leafDepth = -1;
        int deepest = -1;
        double[] values = new double[1024];
        long[] ints = new long[1024];
        boolean anyFloat;
        boolean anyBool;
        boolean anyNumber;
        int n;

        Reader(JsonParser p, String what) {
            this.p = p;
            this.what = what;
            Arrays.fill(dims, -1);
        }

        void value(int depth) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                p.nextToken();
                elements(depth);
                return;
            }
            if (leafDepth < 0) {
                leafDepth = depth;
            } else if (leafDepth != depth) {
                throw ragged();
            }
            switch (t) {
                case VALUE_NUMBER_INT -> {
                    long v = longValue();
                    add(v, v, false);
                }
                case VALUE_NUMBER_FLOAT -> add(p.getDoubleValue(), 0, true);
                case VALUE_TRUE, VALUE_FALSE -> addBool(t == JsonToken.VALUE_TRUE);
                case VALUE_STRING -> throw ApiException.badRequest(what + ": strings are not supported, got \""
                        + abbreviate(p.getText()) + "\"");
                case VALUE_NULL -> throw ApiException.badRequest(what + ": null is not a value");
                default -> throw ApiException.badRequest(what + ": expected a number, true/false or an array, got "
                        + (t == JsonToken.START_OBJECT ? "an object" : String.valueOf(t)));
            }
        }

        /** The elements of an array at {@code depth}, the parser on the first element (or the end). */
        void elements(int depth) throws IOException {
            if (depth >= MAX_RANK) {
                throw ApiException.badRequest(what + ": arrays nested deeper than " + MAX_RANK);
            }
            long count = 0;
            for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw ApiException.badRequest(what + ": the JSON ends inside an array");
                }
                value(depth + 1);
                count++;
            }
            if (leafDepth >= 0 && leafDepth <= depth) {
                throw ragged();
            }
            if (dims[depth] < 0) {
                dims[depth] = count;
                deepest = Math.max(deepest, depth);
            } else if (dims[depth] != count) {
                throw ragged();
            }
        }

        private long longValue() throws IOException {
            try {
                return p.getLongValue();
            } catch (InputCoercionException e) {
                throw ApiException.badRequest(what + ": " + abbreviate(p.getText()) + " is out of the 64-bit range");
            }
        }

        private void add(double v, long asLong, boolean isFloat) {
            if (anyBool) {
                throw mixed();
            }
            anyNumber = true;
            anyFloat |= isFloat;
            grow();
            values[n] = v;
            if (!anyFloat) {
                ints[n] = asLong;
            }
            n++;
        }

        private void addBool(boolean b) {
            if (anyNumber) {
                throw mixed();
            }
            anyBool = true;
            grow();
            values[n] = b ? 1 : 0;
            n++;
        }

        private void grow() {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
                if (!anyFloat) {
                    ints = Arrays.copyOf(ints, n * 2);
                }
            }
        }

        Dense finish() {
            int rank = leafDepth >= 0 ? leafDepth : deepest + 1;
            long[] shape = Arrays.copyOf(dims, rank);
            long numel = 1;
            for (long d : shape) {
                numel *= d;
            }
            if ((leafDepth >= 0 && deepest >= leafDepth) || numel != n) {
                throw ragged();
            }
            return new Dense(shape, Arrays.copyOf(values, n), anyFloat ? null : Arrays.copyOf(ints, n), anyBool);
        }

        private ApiException ragged() {
            return ApiException.badRequest(what + ": the nested arrays are ragged (rows of one level must have equal "
                    + "lengths, and values must all sit at the same depth)");
        }

        private ApiException mixed() {
            return ApiException.badRequest(what + ": mixes numbers and true/false");
        }
    }

    /** Writes {@code a} as nested arrays (a scalar for rank 0). */
    static void write(JsonGenerator g, HostArray a) throws IOException {
        write(g, a, 0, a.offset());
    }

    private static int write(JsonGenerator g, HostArray a, int dim, int at) throws IOException {
        long[] shape = a.shape();
        if (dim == shape.length) {
            writeValue(g, a, at);
            return at + 1;
        }
        g.writeStartArray();
        for (long i = 0; i < shape[dim]; i++) {
            at = write(g, a, dim + 1, at);
        }
        g.writeEndArray();
        return at;
    }

    private static void writeValue(JsonGenerator g, HostArray a, int i) throws IOException {
        switch (a.dtype()) {
            case FLOAT32 -> g.writeNumber(((float[]) a.data())[i]);
            case FLOAT64 -> g.writeNumber(((double[]) a.data())[i]);
            case INT32 -> g.writeNumber(((int[]) a.data())[i]);
            case INT64 -> g.writeNumber(((long[]) a.data())[i]);
            case BOOL -> g.writeBoolean(((boolean[]) a.data())[i]);
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
