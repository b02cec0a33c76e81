package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.Tensor;
import dev.janus.nn.F;
import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mismatched shapes are an {@link IllegalArgumentException} thrown before any kernel runs, whose message names
 * the op and the shapes the caller passed.
 */
class ErrorsTest {

    private static long[] s(long... d) {
        return d;
    }

    private static void assertMessage(IllegalArgumentException e, String op, long[]... shapes) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains(op), "message should name '" + op + "': " + m);
        for (long[] shape : shapes) {
            assertTrue(m.contains(Arrays.toString(shape)), "message should name shape " + Arrays.toString(shape) + ": " + m);
        }
    }

    // ------------------------------------------------------------------ elementwise

    static Stream<Arguments> binaryOps() {
        return Stream.of(
                Arguments.of("add", (BinaryOperator<Tensor>) Tensor::add),
                Arguments.of("sub", (BinaryOperator<Tensor>) Tensor::sub),
                Arguments.of("mul", (BinaryOperator<Tensor>) Tensor::mul),
                Arguments.of("div", (BinaryOperator<Tensor>) Tensor::div),
                Arguments.of("maximum", (BinaryOperator<Tensor>) Tensor::maximum));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binary_shapesThatDoNotBroadcast_throwNamingOpAndShapes(String op, BinaryOperator<Tensor> f) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.apply(Tensor.zeros(2, 3), Tensor.zeros(4, 3)));
        assertMessage(e, op, s(2, 3), s(4, 3));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> f.apply(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 2)));
        assertMessage(e2, op, s(5, 2, 3), s(2, 2));
    }

    // ------------------------------------------------------------------ matmul family

    static Stream<Arguments> badMatmuls() {
        return Stream.of(
                Arguments.of(s(2, 3), s(4, 5)),
                Arguments.of(s(2, 3, 4), s(3, 4, 5)),
                Arguments.of(s(2, 3, 4), s(5, 2)),
                Arguments.of(s(2, 3), s(4)),
                Arguments.of(s(3), s(4, 2)),
                Arguments.of(s(3), s(4)),
                Arguments.of(s(2, 3), s()));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("badMatmuls")
    void matmul_mismatchedShapes_throwNamingOpAndShapes(long[] a, long[] b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(a).matmul(Tensor.zeros(b)));
        assertMessage(e, "matmul", a, b);
    }

    @Test
    void bmm_mismatchedBatch_throwsNamingOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3, 4).bmm(Tensor.zeros(3, 4, 5)));
        assertMessage(e, "bmm", s(2, 3, 4), s(3, 4, 5));
    }

    @Test
    void dot_unequalLengths_throwsNamingOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).dot(Tensor.zeros(4)));
        assertMessage(e, "dot", s(3), s(4));
    }

    @Test
    void outer_matrixOperand_throwsNamingOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3).outer(Tensor.zeros(2, 2)));
        assertMessage(e, "outer", s(3), s(2, 2));
    }

    // ------------------------------------------------------------------ cat

    static Stream<Arguments> badCats() {
        return Stream.of(
                Arguments.of(s(2, 3), s(3, 2), 0),
                Arguments.of(s(2, 3), s(2, 4), 0),
                Arguments.of(s(2, 3), s(3), 0),
                Arguments.of(s(2, 3, 4), s(2, 3, 5), 1));
    }

    @ParameterizedTest(name = "{0} and {1} on axis {2}")
    @MethodSource("badCats")
    void cat_mismatchedShapes_throwNamingOpAndShapes(long[] a, long[] b, int axis) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.cat(axis, Tensor.zeros(a), Tensor.zeros(b)));
        assertMessage(e, "cat", a, b);
    }

    @Test
    void cat_scalars_throw() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(0, Tensor.scalar(1, dev.janus.DType.FLOAT32),
                Tensor.scalar(2, dev.janus.DType.FLOAT32)));
    }

    @Test
    void cat_axisOutOfRange_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.cat(2, Tensor.zeros(2, 3), Tensor.zeros(2, 3)));
    }

    // ------------------------------------------------------------------ convolution and pooling

    static Stream<Arguments> badConvs() {
        return Stream.of(
                Arguments.of(s(1, 3, 5, 5), s(4, 2, 3, 3), 1),
                Arguments.of(s(1, 4, 5, 5), s(4, 2, 3, 3), 1),
                Arguments.of(s(1, 4, 5, 5), s(4, 2, 3, 3), 3),
                Arguments.of(s(1, 4, 5, 5), s(3, 2, 3, 3), 2),
                Arguments.of(s(1, 1, 2, 2), s(1, 1, 3, 3), 1));
    }

    @ParameterizedTest(name = "x{0} w{1} groups {2}")
    @MethodSource("badConvs")
    void conv2d_mismatchedShapes_throwNamingOpAndShapes(long[] x, long[] w, int groups) {
        int[] one = {1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(Tensor.zeros(x), Tensor.zeros(w), null, one, new int[] {0, 0}, one, groups));
        assertMessage(e, "conv2d", x, w);
    }

    @Test
    void conv2d_operandNotFourDimensional_throwsNamingOpAndThatShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(Tensor.zeros(3, 5, 5), Tensor.zeros(4, 3, 3, 3)));
        assertMessage(e, "conv2d", s(3, 5, 5));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 3, 3)));
        assertMessage(e2, "conv2d", s(4, 3, 3));
    }

    @Test
    void conv2d_biasOfWrongLength_throws() {
        assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), 1, 0));
    }

    @Test
    void conv1d_mismatchedChannels_throwsNamingConv() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.conv1d(Tensor.zeros(1, 3, 5), Tensor.zeros(4, 2, 3), null, 1, 0, 1, 1));
        assertMessage(e, "conv");
    }

    @Test
    void convTranspose2d_weightChannelsDiffer_throwsNamingOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.convTranspose2d(Tensor.zeros(1, 3, 4, 4), Tensor.zeros(2, 3, 3, 3), null, 1, 0));
        assertMessage(e, "conv_transpose2d", s(1, 3, 4, 4), s(2, 3, 3, 3));
    }

    @Test
    void maxPool2d_notFourDimensional_throwsNamingOpAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.maxPool2d(Tensor.zeros(3, 5, 5), 2));
        assertMessage(e, "max_pool2d", s(3, 5, 5));
    }

    @Test
    void avgPool2d_notFourDimensional_throwsNamingOpAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.avgPool2d(Tensor.zeros(3, 5, 5), 2));
        assertMessage(e, "avgPool2d", s(3, 5, 5));
    }

    @Test
    void maxPool2d_kernelLargerThanInputOrPaddingTooWide_throws() {
        int[] one = {1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.maxPool2d(Tensor.zeros(1, 1, 2, 2), new int[] {3, 3}, one, new int[] {0, 0}, one));
        assertMessage(e, "max_pool2d", s(1, 1, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> F.maxPool2d(Tensor.zeros(1, 1, 5, 5), new int[] {2, 2}, one, new int[] {2, 2}, one));
    }

    // ------------------------------------------------------------------ movement

    @Test
    void expand_incompatibleTarget_throwsNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).expand(4, 3));
        assertMessage(e, "expand", s(2, 3), s(4, 3));
    }

    @Test
    void permute_wrongLength_throwsNamingShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).permute(1, 0));
        assertMessage(e, "permute", s(2, 3, 4));
    }

    @Test
    void repeat_fewerCountsThanDims_throws() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).repeat(2));
    }
}
