package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The matmul primitive's transpose flags: forward against explicit transposes, and gradients. */
class MatmulFlagsTest {
    static Stream<Arguments> flags() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    private static Tensor operand(Generator g, boolean transposed, long batch, long rows, long cols) {
        return transposed ? Tensor.randn(g, DType.FLOAT64, batch, cols, rows) : Tensor.randn(g, DType.FLOAT64, batch, rows, cols);
    }

    @ParameterizedTest
    @MethodSource("flags")
    void matmulFlags_matchExplicitTransposes(boolean ta, boolean tb) {
        Generator g = new Generator(3);
        Tensor a = operand(g, ta, 2, 3, 5);
        Tensor b = operand(g, tb, 2, 5, 4);
        Tensor expected = (ta ? a.transpose(-1, -2) : a).matmul(tb ? b.transpose(-1, -2) : b);
        assertArrayEquals(expected.toDoubleArray(), a.matmul(b, ta, tb).toDoubleArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("flags")
    void matmulFlags_gradientsMatchFiniteDifferences(boolean ta, boolean tb) {
        Generator g = new Generator(4);
        GradCheck.check(in -> in[0].matmul(in[1], ta, tb), operand(g, ta, 2, 3, 5), operand(g, tb, 2, 5, 4));
    }

    @ParameterizedTest
    @MethodSource("flags")
    void matmulFlags_broadcastRightOperandGradients(boolean ta, boolean tb) {
        Generator g = new Generator(5);
        Tensor a = operand(g, ta, 3, 2, 4);
        Tensor b = tb ? Tensor.randn(g, DType.FLOAT64, 6, 4) : Tensor.randn(g, DType.FLOAT64, 4, 6);
        GradCheck.check(in -> in[0].matmul(in[1], ta, tb), a, b);
    }
}
