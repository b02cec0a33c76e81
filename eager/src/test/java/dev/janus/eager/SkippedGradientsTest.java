package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.nn.F;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backward computes no gradient for an input that does not want one where that is costly: a first convolution
 * does not convolve back to the images, a matmul with a constant operand runs one product, not two.
 */
class SkippedGradientsTest {
    private static List<Op> backwardOps(Tensor loss) {
        List<Op> ops = new ArrayList<>();
        try (var seen = Dispatch.observe((op, attrs, in, out) -> ops.add(op))) {
            loss.backward();
        }
        return ops;
    }

    @Test
    void conv2d_onImagesWithoutGrad_skipsTheInputGradient_butTheWeightGradientIsUnchanged() {
        Generator g = new Generator(5);
        Tensor images = Tensor.randn(g, 2, 1, 8, 8);
        Tensor w = Tensor.randn(g, 3, 1, 3, 3).requiresGrad(true);
        List<Op> ops = backwardOps(F.conv2d(images, w).tanh().sum());
        assertEquals(0, ops.stream().filter(o -> o == Op.CONV_TRANSPOSE2D).count(), ops.toString());
        assertNull(images.grad());

        Tensor images2 = images.detach().requiresGrad(true);
        Tensor w2 = w.detach().requiresGrad(true);
        List<Op> both = backwardOps(F.conv2d(images2, w2).tanh().sum());
        assertEquals(1, both.stream().filter(o -> o == Op.CONV_TRANSPOSE2D).count(), both.toString());
        assertArrayEquals(w2.grad().toFloatArray(), w.grad().toFloatArray(), 0f);
    }

    @Test
    void matmul_withAConstantOperand_runsOneProductBackward() {
        Generator g = new Generator(6);
        Tensor x = Tensor.randn(g, 4, 5);
        Tensor w = Tensor.randn(g, 5, 3).requiresGrad(true);
        List<Op> ops = backwardOps(x.matmul(w).sum());
        assertEquals(1, ops.stream().filter(o -> o == Op.MATMUL).count(), ops.toString());
        assertArrayEquals(x.transpose(0, 1).matmul(Tensor.ones(4, 3)).toFloatArray(), w.grad().toFloatArray(), 1e-5f);
    }
}
