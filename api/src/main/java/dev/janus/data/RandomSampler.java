package dev.janus.data;

import dev.janus.Generator;
import java.util.Arrays;
import java.util.PrimitiveIterator;

/**
 * A random permutation of {@code 0 .. n-1}, a new one each epoch, drawn from a seeded {@link Generator}:
 * two samplers with the same seed give the same sequence of permutations.
 *
 * <pre>{@code
 * RandomSampler s = new RandomSampler(10, 42);
 * int[] epoch0 = s.nextEpoch(), epoch1 = s.nextEpoch();   // different, but fixed by the seed
 * }</pre>
 */
public final class RandomSampler implements Sampler {
    private final int n;
    private final Generator generator;

    /** Draws permutations from {@code generator}, which this sampler then owns (it advances it). */
    public RandomSampler(int n, Generator generator) {
        if (n < 0) {
            throw new IllegalArgumentException("RandomSampler: size must be non-negative, got " + n);
        }
        this.n = n;
        this.generator = generator;
    }

    public RandomSampler(int n, long seed) {
        this(n, new Generator(seed));
    }

    /** A uniformly random permutation of {@code 0 .. n-1} (Fisher–Yates), advancing {@code g}. */
    public static int[] permutation(int n, Generator g) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        shuffle(p, g);
        return p;
    }

    /** Shuffles {@code values} in place (Fisher–Yates), advancing {@code g}. */
    static void shuffle(int[] values, Generator g) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = (int) g.nextLong(0, i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** The next epoch's permutation. */
    public int[] nextEpoch() {
        // NOTE: the generator is not thread-safe; epochs may be started from different threads.
        synchronized (generator) {
            return permutation(n, generator);
        }
    }

    @Override
    public int size() {
        return n;
    }

    @Override
    public PrimitiveIterator.OfInt iterator() {
        return Arrays.stream(nextEpoch()).iterator();
    }
}
