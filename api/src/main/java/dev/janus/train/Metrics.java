package dev.janus.train;

import dev.janus.Tensor;

/** Host-side helpers for metrics (metrics are bookkeeping, not part of any graph). */
final class Metrics {
    private Metrics() {}

    /** How many rows of {@code output[N, C]} rank their class-index {@code target[N]} within the top k. */
    static long topKHits(Tensor output, Tensor target, int k) {
        if (output.rank() != 2 || target.rank() != 1 || target.dim(0) != output.dim(0)) {
            throw new IllegalArgumentException("top-k metrics need outputs [N, C] and class indices [N], got "
                    + output.shape() + " and " + target.shape());
        }
        int n = (int) output.dim(0);
        int c = (int) output.dim(1);
        float[] o = output.toFloatArray();
        long[] t = target.toLongArray();
        long hits = 0;
        for (int i = 0; i < n; i++) {
            float mine = o[i * c + (int) t[i]];
            int better = 0;
            for (int j = 0; j < c; j++) {
                if (o[i * c + j] > mine) {
                    better++;
                }
            }
            hits += better < k ? 1 : 0;
        }
        return hits;
    }
}
