package dev.janus.io.tensorboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contents of a TensorBoard {@code HistogramProto}: summary statistics and bucket counts over TensorFlow's
 * default exponential buckets (limits ±1e-12 · 1.1^k up to ±1e20, then ±Double.MAX_VALUE, and 0). A bucket
 * counts the values below its limit and at or above the previous one. Empty buckets before the first and after
 * the last value are dropped and runs of empty buckets in between merge into one, as TensorFlow's encoder does,
 * so a histogram of a weight matrix stays a few dozen buckets long.
 *
 * @param min         smallest value
 * @param max         largest value
 * @param num         how many values
 * @param sum         their sum
 * @param sumSquares  the sum of their squares
 * @param bucketLimit each bucket's upper limit (exclusive), increasing
 * @param bucket      each bucket's count; the counts add up to {@code num}
 */
record Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimit,
        double[] bucket) {
    /** TensorFlow's default limits, computed once: about 1,550 of them. */
    private static final double[] DEFAULT_LIMITS = defaultLimits();

    /**
     * The histogram of {@code values}. Infinite values land in the outermost buckets; NaN has no bucket, so it
     * is refused.
     *
     * <pre>{@code Histogram h = Histogram.of(new double[] {0.5, 1, 2});  // h.num() == 3}</pre>
     */
    static Histogram of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a histogram needs at least one value, got none");
        }
        long[] counts = new long[DEFAULT_LIMITS.length];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("a histogram cannot hold NaN; " + countNaN(values) + " of "
                        + values.length + " values are NaN");
            }
            counts[bucketOf(v + 0.0)]++; // + 0.0 turns -0.0 into 0.0, which Arrays.binarySearch orders apart
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
        }
        return compact(min, max, values.length, sum, sumSquares, counts);
    }

    /** The first bucket whose limit exceeds {@code v} (the last bucket for values beyond every limit). */
    private static int bucketOf(double v) {
        int i = Arrays.binarySearch(DEFAULT_LIMITS, v);
        int firstAbove = i >= 0 ? i + 1 : -i - 1;
        return Math.min(firstAbove, DEFAULT_LIMITS.length - 1);
    }

    private static Histogram compact(double min, double max, long num, double sum, double sumSquares, long[] counts) {
        int first = 0;
        while (counts[first] == 0) {
            first++;
        }
        int last = counts.length - 1;
        while (counts[last] == 0) {
            last--;
        }
        List<double[]> kept = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            boolean extendsEmptyRun = counts[i] == 0 && !kept.isEmpty() && kept.get(kept.size() - 1)[1] == 0;
            if (extendsEmptyRun) {
                kept.get(kept.size() - 1)[0] = DEFAULT_LIMITS[i];
            } else {
                kept.add(new double[] {DEFAULT_LIMITS[i], counts[i]});
            }
        }
        double[] limits = kept.stream().mapToDouble(b -> b[0]).toArray();
        double[] bucket = kept.stream().mapToDouble(b -> b[1]).toArray();
        return new Histogram(min, max, num, sum, sumSquares, limits, bucket);
    }

    private static double[] defaultLimits() {
        List<Double> positive = new ArrayList<>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) {
            positive.add(v);
        }
        positive.add(Double.MAX_VALUE);
        double[] limits = new double[2 * positive.size() + 1];
        for (int i = 0; i < positive.size(); i++) {
            limits[positive.size() - 1 - i] = -positive.get(i);
            limits[positive.size() + 1 + i] = positive.get(i);
        }
        limits[positive.size()] = 0.0;
        return limits;
    }

    private static long countNaN(double[] values) {
        return Arrays.stream(values).filter(Double::isNaN).count();
    }
}
