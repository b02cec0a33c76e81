package dev.janus.eager;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.janus.Generator;
import dev.janus.Tensor;
import org.junit.jupiter.api.Test;

/** A weight reused by matmul is mirrored off-heap; writes into it must never leave a stale mirror. */
class GemmOperandMirrorTest {
    private static float[] times(float[] v, float s) {
        float[] r = v.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= s;
        }
        return r;
    }

    @Test
    void matmul_afterAssignIntoReusedWeight_seesNewValues() {
        Generator g = new Generator(1);
        Tensor w = Tensor.randn(g, 256, 128);
        Tensor x = Tensor.randn(g, 4, 256);
        float[] before = x.matmul(w).toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(before, x.matmul(w).toFloatArray(), 0f);
        }
        w.assign(w.mul(2.0));
        assertArrayEquals(times(before, 2f), x.matmul(w).toFloatArray(), 1e-4f);
    }

    @Test
    void matmul_afterAssignThroughReshapedAlias_seesNewValues() {
        Generator g = new Generator(2);
        Tensor w = Tensor.randn(g, 256, 128);
        Tensor x = Tensor.randn(g, 4, 256);
        float[] before = x.matmul(w).toFloatArray();
        x.matmul(w);
        Tensor alias = w.reshape(128, 256);
        alias.assign(alias.mul(-1.0));
        assertArrayEquals(times(before, -1f), x.matmul(w).toFloatArray(), 1e-4f);
    }
}
