package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Tensor;
import dev.janus.nn.F;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An index outside its axis is an {@link IllegalArgumentException} whose message names the op the caller
 * used and the offending index value — never an {@link ArrayIndexOutOfBoundsException} from a kernel.
 */
class IndexErrorsTest {

    /** Index values outside an axis of size 4 (positive past the end, and negative past the start). */
    static Stream<Arguments> badIndices() {
        return Stream.of(DType.INT64, DType.INT32).flatMap(it -> Stream.of(DType.FLOAT32, DType.FLOAT64)
                .flatMap(t -> Stream.of(4L, 42L, -5L).map(v -> Arguments.of(v, it, t))));
    }

    private static Tensor data(DType t, long... shape) {
        return Tensor.zeros(t, shape);
    }

    private static Tensor index(long[] values, DType t, long... shape) {
        Tensor i = Tensor.of(values, shape);
        return t == DType.INT32 ? i.cast(DType.INT32) : i;
    }

    private static void assertNames(IllegalArgumentException e, String op, long index) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains(op), "message should name '" + op + "': " + m);
        assertNamesIndex(e, index);
    }

    private static void assertNamesIndex(IllegalArgumentException e, long index) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("index " + index), "message should name index " + index + ": " + m);
    }

    @ParameterizedTest(name = "index {0} ({1}) data {2}")
    @MethodSource("badIndices")
    void gather_indexOutsideAxis_throwsNamingOpAndIndex(long bad, DType indexType, DType t) {
        Tensor x = data(t, 3, 4);
        Tensor idx = index(new long[] {0, 1, bad, 2, 3, 0}, indexType, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.gather(1, idx));
        assertNames(e, "gather", bad);
    }

    @ParameterizedTest(name = "index {0} ({1}) data {2}")
    @MethodSource("badIndices")
    void indexSelect_indexOutsideAxis_throwsNamingOpAndIndex(long bad, DType indexType, DType t) {
        Tensor x = data(t, 4, 3);
        Tensor idx = index(new long[] {1, bad, 0}, indexType, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(0, idx));
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("indexSelect") || m.contains("index_select"), "message should name indexSelect: " + m);
        assertNamesIndex(e, bad);
    }

    @ParameterizedTest(name = "index {0} ({1}) data {2}")
    @MethodSource("badIndices")
    void scatterAdd_indexOutsideAxis_throwsNamingOpAndIndex(long bad, DType indexType, DType t) {
        Tensor self = data(t, 4, 3);
        Tensor idx = index(new long[] {0, bad, 1}, indexType, 1, 3);
        Tensor src = Tensor.ones(t, 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> self.scatterAdd(0, idx, src));
        assertNames(e, "scatter", bad);
    }

    @ParameterizedTest(name = "index {0} ({1}) data {2}")
    @MethodSource("badIndices")
    void embedding_indexOutsideVocabulary_throwsNamingIndex(long bad, DType indexType, DType t) {
        Tensor weight = data(t, 4, 2);
        Tensor idx = index(new long[] {3, bad}, indexType, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.embedding(idx, weight));
        assertNamesIndex(e, bad);
    }

    @Test
    void gather_indexLargerThanInputOnOtherAxis_throws() {
        Tensor idx = Tensor.of(new long[] {0, 0, 0, 0}, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).gather(1, idx));
    }

    @Test
    void gather_indexOfOtherRankOrFloat_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).gather(1, Tensor.of(new long[] {0, 1})));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).gather(1, Tensor.zeros(3, 4)));
    }

    @Test
    void indexSelect_matrixIndex_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 4).indexSelect(0, Tensor.of(new long[] {0, 1, 2, 0}, 2, 2)));
    }

    @Test
    void scatterAdd_srcShapeDiffersFromIndex_throws() {
        Tensor idx = Tensor.of(new long[] {0, 1}, 1, 2);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).scatterAdd(0, idx, Tensor.ones(1, 3)));
    }
}
