package dev.janus.examples;

import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.data.Dataset;
import dev.janus.data.Example;
import dev.janus.data.TensorDataset;

/**
 * A generated stand-in for Fashion-MNIST when its files are not installed: 28×28 single-channel images of
 * 10 classes, class k being a bright 8×8 square at one of ten positions, on Gaussian noise, with a random
 * shift of up to 2 pixels. Learnable in a few hundred steps, so the quickstart still shows learning.
 */
public final class SyntheticImages {
    private SyntheticImages() {}

    /** {@code n} examples, normalized like the real data (input [1, 28, 28], class-index target). */
    public static Dataset<Example> dataset(int n, long seed) {
        Generator g = new Generator(seed);
        float[] pixels = new float[n * 28 * 28];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int k = (int) g.nextLong(0, 10);
            labels[i] = k;
            int top = 3 + (k / 5) * 13 + (int) g.nextLong(-2, 3);
            int left = 1 + (k % 5) * 5 + (int) g.nextLong(-1, 2);
            for (int p = 0; p < 28 * 28; p++) {
                int r = p / 28;
                int c = p % 28;
                boolean inside = r >= top && r < top + 8 && c >= left && c < left + 8;
                pixels[i * 784 + p] = (float) ((inside ? 1.5 : -0.5) + 0.6 * g.nextGaussian());
            }
        }
        return TensorDataset.examples(Tensor.of(pixels, n, 1, 28, 28), Tensor.of(labels));
    }
}
