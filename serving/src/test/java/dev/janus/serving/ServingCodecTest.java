package dev.janus.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.io.Signature;
import dev.janus.ops.TensorSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Predict bodies in, outputs out: the row and columnar formats, and every way a body can be wrong. */
class ServingCodecTest {
    static final Signature ONE = new Signature(
            List.of(new Signature.Slot("x", new TensorSpec(DType.FLOAT32, Shape.of(1, 2, 2)), 1)),
            List.of(new Signature.Slot("y", new TensorSpec(DType.FLOAT32, Shape.of(1, 3)), 1)));
    static final Signature TWO = new Signature(
            List.of(new Signature.Slot("a", new TensorSpec(DType.FLOAT32, Shape.of(1, 2)), 1),
                    new Signature.Slot("b", new TensorSpec(DType.INT64, Shape.of(1)), 1)),
            List.of(new Signature.Slot("s", new TensorSpec(DType.FLOAT32, Shape.of(1)), 1),
                    new Signature.Slot("t", new TensorSpec(DType.BOOL, Shape.of(1, 2)), 1)));

    private static HostArray[] bind(String json, Signature sig) {
        return PredictCodec.bind(PredictCodec.parse(json.getBytes(StandardCharsets.UTF_8)), sig, "forward");
    }

    private static String encode(String json, Signature sig, HostArray... outputs) {
        PredictCodec.Request r = PredictCodec.parse(json.getBytes(StandardCharsets.UTF_8));
        return new String(PredictCodec.encode(r.rows(), sig, outputs), StandardCharsets.UTF_8);
    }

    @Test
    void instances_oneInput_stackedAlongNewDim0() {
        HostArray[] in = bind("{\"instances\": [[[1, 2], [3, 4]], [[5, 6], [7, 8.5]]]}", ONE);
        assertArrayEquals(new long[] {2, 2, 2}, in[0].shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8.5f}, (float[]) in[0].data());
    }

    @Test
    void instances_namedInputs_eachStackedInSignatureOrder() {
        HostArray[] in = bind("{\"instances\": [{\"b\": 7, \"a\": [1, 2]}, {\"a\": [3, 4], \"b\": 9007199254740993}]}",
                TWO);
        assertArrayEquals(new float[] {1, 2, 3, 4}, (float[]) in[0].data());
        assertArrayEquals(new long[] {7, 9007199254740993L}, (long[]) in[1].data(), "int64 keeps all 64 bits");
    }

    @Test
    void inputs_columnar_takesTheBatchDimAsGiven() {
        HostArray[] in = bind("{\"signature_name\": \"serving_default\", \"inputs\": {\"a\": [[1, 2]], \"b\": [3]}}",
                TWO);
        assertArrayEquals(new long[] {1, 2}, in[0].shape());
        assertArrayEquals(new long[] {1}, in[1].shape());
    }

    @Test
    void predictions_oneRowPerInstance() {
        HostArray y = new HostArray(DType.FLOAT32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6.5f}, 0);
        assertEquals("{\"predictions\":[[1.0,2.0,3.0],[4.0,5.0,6.5]]}", encode("{\"instances\": [[[1,2],[3,4]],"
                + "[[1,2],[3,4]]]}", ONE, y));
    }

    @Test
    void outputs_columnar_namedWhenSeveral() {
        HostArray s = new HostArray(DType.FLOAT32, new long[] {1}, new float[] {2}, 0);
        HostArray t = new HostArray(DType.BOOL, new long[] {1, 2}, new boolean[] {true, false}, 0);
        assertEquals("{\"outputs\":{\"s\":[2.0],\"t\":[[true,false]]}}", encode("{\"inputs\": {\"a\": [[1, 2]], "
                + "\"b\": [3]}}", TWO, s, t));
        assertEquals("{\"predictions\":[{\"s\":2.0,\"t\":[true,false]}]}", encode("{\"instances\": [{\"a\": [1, 2], "
                + "\"b\": 3}]}", TWO, s, t));
    }

    @Test
    void rows_offsetSlice_sharesValues() {
        HostArray a = new HostArray(DType.INT32, new long[] {3, 2}, new int[] {0, 1, 2, 3, 4, 5}, 0);
        HostArray r = a.rows(1, 2);
        assertArrayEquals(new long[] {2, 2}, r.shape());
        assertEquals(2, r.offset());
        assertArrayEquals(new long[] {2}, a.row(2).shape());
        assertEquals(4, a.row(2).offset());
        assertArrayEquals(new int[] {2, 3, 4, 5}, r.toTensor().toIntArray());
    }

    @Test
    void emptyNestedArray_hasZeroDim() {
        PredictCodec.Request r = PredictCodec.parse("{\"inputs\": [[], []]}".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new long[] {2, 0}, r.unnamed().shape);
        assertNull(r.named());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json at all                                | malformed JSON
            {"instances": [[[1, 2], [3, 4]]]                 | malformed JSON
            {"instances": [[[1,2],[3,4]]]} trailing          | malformed JSON
            {"signature_name": "a", "signature_name": "b"} | malformed JSON: Duplicate field
            [1, 2]                                         | must be a JSON object
            {"examples": []}                               | unknown field "examples"
            {}                                             | neither "instances"
            {"instances": []}                              | "instances" is empty
            {"instances": [[[1,2],[3,4]]], "inputs": [1]}  | not both
            {"instances": [[[1, 2], [3]]]}                 | ragged
            {"instances": [[[1, 2], 3]]}                   | ragged
            {"instances": [[[1, 2], [3, "4"]]]}            | strings are not supported
            {"instances": [[[1, 2], [3, null]]]}           | null is not a value
            {"instances": [[[1, 2], [3, true]]]}           | mixes numbers and true/false
            {"instances": [[[true, false], [true, true]]]} | is f32 and takes numbers
            {"instances": [[1, 2, 3, 4]]}                  | must be x:f32[?, 2, 2]
            {"inputs": [[1, 2], [3, 4]]}                   | must be x:f32[?, 2, 2]
            {"inputs": {"z": [[[1, 2], [3, 4]]]}}          | has no input 'z'
            {"signature_name": "train", "inputs": [[[1, 2], [3, 4]]]} | unknown signature_name
            """)
    void badBody_oneInput_clearMessage(String body, String expected) {
        ApiException e = assertThrows(ApiException.class, () -> bind(body, ONE));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"instances": [{"a": [1, 2], "b": 1.5}]}                 | is i64 and takes integers
            {"instances": [{"a": [1, 2], "b": 99999999999999999999}]} | out of the 64-bit range
            {"instances": [{"a": [1, 2]}]}                           | input 'b' is missing
            {"instances": [{"a": [1, 2], "b": 1}, {"a": [1, 2]}]}    | instances[1] names [a] but instances[0] names [a, b]
            {"instances": [{"a": [1, 2], "b": 1}, {"a": [1], "b": 2}]} | instances[1].a has shape [1]
            {"instances": [{"a": [1, 2], "b": 1}, [1, 2]]}           | every instance must be an object
            {"inputs": [[1, 2]]}                                     | give them by name
            """)
    void badBody_twoInputs_clearMessage(String body, String expected) {
        ApiException e = assertThrows(ApiException.class, () -> bind(body, TWO));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
