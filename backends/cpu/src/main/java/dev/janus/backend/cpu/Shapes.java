package dev.janus.backend.cpu;

/** Small shape arithmetic on {@code long[]} dimensions. */
final class Shapes {
    private Shapes() {}

    static long numel(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Product of {@code dims[from..to)}. */
    static long numel(long[] dims, int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= dims[i];
        }
        return n;
    }
}
