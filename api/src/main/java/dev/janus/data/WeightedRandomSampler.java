package dev.janus.data;

import dev.janus.Generator;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

/**
 * Draws {@code numSamples} indices with probability proportional to {@code weights}, like
 * {@code torch.utils.data.WeightedRandomSampler}; e.g. to oversample rare classes. With replacement an index
 * may repeat; without, each appears at most once (so at most as many samples as positive weights).
 *
 * <pre>{@code
 * Sampler s = new WeightedRandomSampler(new double[] {0.1, 0.9}, 100, true, new Generator(3));
 * }</pre>
 */
public final class WeightedRandomSampler implements Sampler {
    private final double[] cumulative;
    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    /** Draws from {@code generator}, which this sampler then owns (it advances it). */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        int positive = validate(weights);
        if (numSamples <= 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: numSamples must be positive, got " + numSamples);
        }
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples
                    + " samples without replacement from " + positive + " positive weights");
        }
        this.weights = weights.clone();
        this.cumulative = weights.clone();
        for (int i = 1; i < cumulative.length; i++) {
            cumulative[i] += cumulative[i - 1];
        }
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    private static int validate(double[] weights) {
        int positive = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("WeightedRandomSampler: weight " + i + " is " + weights[i]
                        + "; weights must be finite and non-negative");
            }
            positive += weights[i] > 0 ? 1 : 0;
        }
        if (positive == 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: needs at least one positive weight");
        }
        return positive;
    }

    @Override
    public int size() {
        return numSamples;
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        synchronized (generator) {
            return Arrays.stream(replacement ? withReplacement() : withoutReplacement()).iterator();
        }
    }

    /** Inverse-CDF draws: a binary search of the cumulative weights per sample. */
    private int[] withReplacement() {
        double total = cumulative[cumulative.length - 1];
        int[] out = new int[numSamples];
        for (int k = 0; k < numSamples; k++) {
            double u = generator.nextDouble() * total;
            int i = Arrays.binarySearch(cumulative, u);
            i = i >= 0 ? i + 1 : -i - 1;
            // NOTE: skip zero-weight entries, whose cumulative value equals their predecessor's.
            while (i < weights.length - 1 && weights[i] == 0) {
                i++;
            }
            out[k] = Math.min(i, weights.length - 1);
        }
        return out;
    }

    /**
     * Efraimidis–Spirakis: key {@code -log(u) / w} per index, the {@code numSamples} smallest keys win, in
     * key order; this is equivalent to drawing one at a time and removing what was drawn.
     */
    private int[] withoutReplacement() {
        double[] key = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double u = 1.0 - generator.nextDouble();
            key[i] = weights[i] > 0 ? -Math.log(u) / weights[i] : Double.POSITIVE_INFINITY;
        }
        return IntStream.range(0, weights.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> key[i]).thenComparingInt(i -> i))
                .limit(numSamples).mapToInt(Integer::intValue).toArray();
    }
}
