package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** Each leaf's gradient owns its memory, so changing one in place (clipping) cannot reach another. */
class LeafGradientOwnershipTest {
    @Test
    void backward_addOfTwoLeaves_givesIndependentGradients() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {3, 4}).requiresGrad(true);
        x.add(y).sum().backward();
        x.grad().assign(Tensor.zeros(2));
        assertArrayEquals(new float[] {1, 1}, y.grad().toFloatArray());
    }

    @Test
    void backward_seedGradient_isNotAliasedByLeafGradient() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor seed = Tensor.of(new float[] {5, 6});
        x.mul(1.0).backward(seed);
        x.grad().assign(Tensor.zeros(2));
        assertArrayEquals(new float[] {5, 6}, seed.toFloatArray());
    }
}
