package dev.janus;

/**
 * A seeded source of random numbers (SplitMix64). Two generators with the same seed produce the same
 * sequence on every machine, so {@code Tensor.randn(new Generator(7), 3)} is reproducible. Not thread-safe:
 * give each thread its own generator.
 */
public final class Generator {
    private long state;
    private final long seed;

    public Generator(long seed) {
        this.seed = seed;
        this.state = seed;
    }

    /** The seed this generator was created or last reset with. */
    public long seed() {
        return seed;
    }

    /** The current internal state, for checkpoints. */
    public long state() {
        return state;
    }

    /** Restores a state obtained from {@link #state()}. */
    public void setState(long state) {
        this.state = state;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A standard normal sample (Box–Muller; one sample per call, so sequences do not depend on parity). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Uniform integer in {@code [low, high)}. */
    public long nextLong(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("empty range [" + low + ", " + high + ")");
        }
        return low + Math.floorMod(nextLong(), high - low);
    }
}
