package dev.janus.train;

import dev.janus.Tensor;

/**
 * A quantity accumulated over the batches of an epoch, such as accuracy. {@link #update} sees each batch's
 * model output and target; {@link #value} gives the epoch's figure.
 */
public interface Metric {
    /** The key under which the value appears in logs and history, e.g. {@code accuracy}. */
    String name();

    void reset();

    void update(Tensor output, Tensor target);

    double value();

    /** Fraction of rows whose argmax equals the class-index target. */
    static Metric accuracy() {
        return topK(1, "accuracy");
    }

    /** Fraction of rows whose target is among the {@code k} largest outputs. */
    static Metric topK(int k) {
        return topK(k, "top" + k);
    }

    private static Metric topK(int k, String name) {
        return new Metric() {
            private long hits;
            private long total;

            @Override
            public String name() {
                return name;
            }

            @Override
            public void reset() {
                hits = 0;
                total = 0;
            }

            @Override
            public void update(Tensor output, Tensor target) {
                hits += Metrics.topKHits(output, target, k);
                total += output.dim(0);
            }

            @Override
            public double value() {
                return total == 0 ? Double.NaN : hits / (double) total;
            }
        };
    }
}
