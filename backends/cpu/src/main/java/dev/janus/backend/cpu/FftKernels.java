package dev.janus.backend.cpu;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Discrete Fourier transforms along one axis of a row-major array, on plain arrays.
 *
 * <p>The axis is described by {@code (outer, n, inner)}: element {@code (o, i, j)} of the logical array sits
 * at index {@code (o * n + i) * inner + j}. Complex values are interleaved {@code (re, im)} pairs — a tensor
 * of shape {@code [..., 2]} — so complex element {@code c} occupies array slots {@code 2c} and {@code 2c + 1}.
 * Normalization is numpy/PyTorch "backward": forward transforms are unscaled, inverse ones scale by
 * {@code 1/n}.
 *
 * <p>Powers of two use an iterative radix-2 FFT; every other length uses Bluestein's chirp-z algorithm on a
 * power-of-two FFT, so any length costs O(n log n). Real transforms of even length run a complex FFT of half
 * the length. Tables are cached per length. Each line is computed in double, also for float arrays, and
 * {@code src} and {@code dst} may be the same array only for {@link #fft(double[], int, int, int, double[],
 * boolean) fft}.
 *
 * <pre>{@code
 * double[] x = {1, 0, 2, 0, 3, 0, 4, 0};           // 4 complex numbers, shape [4, 2]
 * double[] y = new double[8];
 * FftKernels.fft(x, 1, 4, 1, y, false);            // y = {10,0, -2,2, -2,0, -2,-2}
 * }</pre>
 */
public final class FftKernels {
    /** Plans kept per table; the cache is cleared when it would grow past this (plans are immutable). */
    private static final int CACHE_LIMIT = 64;
    private static final Map<Integer, Plan> PLANS = new ConcurrentHashMap<>();
    private static final Map<Integer, double[]> HALF_TWIDDLES = new ConcurrentHashMap<>();

    private FftKernels() {}

    // ---------------------------------------------------------------------------------------------------
    // Public API

    /**
     * Complex-to-complex transform of {@code src [outer, n, inner, 2]} into {@code dst} of the same shape;
     * {@code inverse} uses {@code exp(+2πi jk/n)} and scales by {@code 1/n}.
     *
     * <pre>{@code FftKernels.fft(x, 1, 4, 1, y, true);  // numpy.fft.ifft along the axis}</pre>
     */
    public static void fft(double[] src, int outer, int n, int inner, double[] dst, boolean inverse) {
        checkArrays(src.length, dst.length, outer, n, n, inner, 2, 2);
        runFft(outer, n, inner, inverse,
                (o, j, buf) -> loadComplex(src, o * n * inner + j, inner, n, buf),
                (buf, o, j, scale) -> storeComplex(buf, n, scale, dst, o * n * inner + j, inner));
    }

    /** Float version of {@link #fft(double[], int, int, int, double[], boolean)}; computed in double. */
    public static void fft(float[] src, int outer, int n, int inner, float[] dst, boolean inverse) {
        checkArrays(src.length, dst.length, outer, n, n, inner, 2, 2);
        runFft(outer, n, inner, inverse,
                (o, j, buf) -> loadComplex(src, o * n * inner + j, inner, n, buf),
                (buf, o, j, scale) -> storeComplex(buf, n, scale, dst, o * n * inner + j, inner));
    }

    /**
     * Real-to-complex transform of {@code realSrc [outer, n, inner]} into {@code dst [outer, n/2+1, inner, 2]},
     * the non-negative frequencies (numpy.fft.rfft).
     *
     * <pre>{@code FftKernels.rfft(new double[] {1, 2, 3, 4}, 1, 4, 1, y);  // y = {10,0, -2,2, -2,0}}</pre>
     */
    public static void rfft(double[] realSrc, int outer, int n, int inner, double[] dst) {
        int bins = n / 2 + 1;
        checkArrays(realSrc.length, dst.length, outer, n, bins, inner, 1, 2);
        runRfft(outer, n, inner,
                (o, j, buf) -> loadReal(realSrc, o * n * inner + j, inner, n, buf),
                (buf, o, j, scale) -> storeComplex(buf, bins, scale, dst, o * bins * inner + j, inner));
    }

    /** Float version of {@link #rfft(double[], int, int, int, double[])}; computed in double. */
    public static void rfft(float[] realSrc, int outer, int n, int inner, float[] dst) {
        int bins = n / 2 + 1;
        checkArrays(realSrc.length, dst.length, outer, n, bins, inner, 1, 2);
        runRfft(outer, n, inner,
                (o, j, buf) -> loadReal(realSrc, o * n * inner + j, inner, n, buf),
                (buf, o, j, scale) -> storeComplex(buf, bins, scale, dst, o * bins * inner + j, inner));
    }

    /**
     * Complex-to-real inverse of {@link #rfft}: {@code src [outer, nOut/2+1, inner, 2]} into
     * {@code dst [outer, nOut, inner]}, like numpy.fft.irfft with {@code n = nOut}. The spectrum is taken as
     * Hermitian; the imaginary parts of the DC bin and, for even {@code nOut}, the Nyquist bin are ignored.
     *
     * <pre>{@code FftKernels.irfft(new double[] {10, 0, -2, 2, -2, 0}, 1, 4, 1, x);  // x = {1, 2, 3, 4}}</pre>
     */
    public static void irfft(double[] src, int outer, int nOut, int inner, double[] dst) {
        int bins = nOut / 2 + 1;
        checkArrays(src.length, dst.length, outer, bins, nOut, inner, 2, 1);
        runIrfft(outer, nOut, inner,
                (o, j, buf) -> loadComplex(src, o * bins * inner + j, inner, bins, buf),
                (buf, o, j, scale) -> storeReal(buf, nOut, scale, dst, o * nOut * inner + j, inner));
    }

    /** Float version of {@link #irfft(double[], int, int, int, double[])}; computed in double. */
    public static void irfft(float[] src, int outer, int nOut, int inner, float[] dst) {
        int bins = nOut / 2 + 1;
        checkArrays(src.length, dst.length, outer, bins, nOut, inner, 2, 1);
        runIrfft(outer, nOut, inner,
                (o, j, buf) -> loadComplex(src, o * bins * inner + j, inner, bins, buf),
                (buf, o, j, scale) -> storeReal(buf, nOut, scale, dst, o * nOut * inner + j, inner));
    }

    // ---------------------------------------------------------------------------------------------------
    // Line drivers, shared by the float and double entry points

    /** Reads line {@code (o, j)} of the source into the scratch buffer. */
    @FunctionalInterface
    private interface Load {
        void line(int o, int j, double[] buf);
    }

    /** Writes the scratch buffer, times {@code scale}, to line {@code (o, j)} of the destination. */
    @FunctionalInterface
    private interface Store {
        void line(double[] buf, int o, int j, double scale);
    }

    /** Per-chunk work arrays: one line, a second line for real transforms, and the Bluestein buffer. */
    private static final class Scratch {
        final double[] line;
        final double[] out;
        final double[] work;

        Scratch(int line, int out, int work) {
            this.line = new double[line];
            this.out = new double[out];
            this.work = new double[work];
        }
    }

    private static void runFft(int outer, int n, int inner, boolean inverse, Load load, Store store) {
        Plan plan = plan(n);
        double scale = inverse ? 1.0 / n : 1.0;
        forEachLine(outer, inner, plan.cost(), () -> new Scratch(2 * n, 0, plan.workLength()), (o, j, s) -> {
            load.line(o, j, s.line);
            plan.transform(s.line, s.work, inverse);
            store.line(s.line, o, j, scale);
        });
    }

    private static void runRfft(int outer, int n, int inner, Load load, Store store) {
        boolean even = n % 2 == 0;
        Plan plan = plan(even ? n / 2 : n);
        double[] twiddle = even ? halfTwiddles(n) : null;
        int lineLength = even ? n : 2 * n;
        forEachLine(outer, inner, plan.cost(), () -> new Scratch(lineLength, n + 2, plan.workLength()),
                (o, j, s) -> {
                    load.line(o, j, s.line);
                    if (even) {
                        plan.transform(s.line, s.work, false);   // the line's reals, read as n/2 complex
                        splitHalfSpectrum(s.line, n / 2, twiddle, s.out);
                    } else {
                        widenToComplex(s.line, n);
                        plan.transform(s.line, s.work, false);
                        System.arraycopy(s.line, 0, s.out, 0, 2 * (n / 2 + 1));
                    }
                    store.line(s.out, o, j, 1.0);
                });
    }

    private static void runIrfft(int outer, int n, int inner, Load load, Store store) {
        boolean even = n % 2 == 0;
        Plan plan = plan(even ? n / 2 : n);
        double[] twiddle = even ? halfTwiddles(n) : null;
        int lineLength = even ? n : 2 * n;
        double scale = even ? 2.0 / n : 1.0 / n;   // even: an inverse of length n/2 scales by 1/(n/2)
        forEachLine(outer, inner, plan.cost(), () -> new Scratch(lineLength, n + 2, plan.workLength()),
                (o, j, s) -> {
                    load.line(o, j, s.out);
                    s.out[1] = 0;                    // numpy ignores Im of DC ...
                    if (even) {
                        s.out[n + 1] = 0;            // ... and of Nyquist
                        mergeHalfSpectrum(s.out, n / 2, twiddle, s.line);
                        plan.transform(s.line, s.work, true);   // n/2 complex, read as the line's n reals
                    } else {
                        hermitianFill(s.out, n, s.line);
                        plan.transform(s.line, s.work, true);
                        narrowToReal(s.line, n);
                    }
                    store.line(s.line, o, j, scale);
                });
    }

    /** The body run for one line {@code (o, j)} with its chunk's scratch. */
    @FunctionalInterface
    private interface LineBody {
        void run(int o, int j, Scratch s);
    }

    /** Runs {@code body} over all {@code outer * inner} lines, one scratch per parallel chunk. */
    private static void forEachLine(int outer, int inner, long cost,
            Supplier<Scratch> scratch, LineBody body) {
        Parallel.range(outer * inner, cost, (from, to) -> {
            Scratch s = scratch.get();
            for (int line = from; line < to; line++) {
                body.run(line / inner, line % inner, s);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------
    // Real transforms via a half-length complex FFT

    /**
     * Turns {@code Z = FFT(z)}, where {@code z_j = x_2j + i x_2j+1} ({@code h} values), into the spectrum
     * {@code X_0..X_h} of the real line {@code x}: {@code X_k = E_k + W^k O_k} with
     * {@code E_k = (Z_k + conj Z_h-k)/2}, {@code O_k = (Z_k - conj Z_h-k)/2i}, {@code W = exp(-2πi/2h)}.
     */
    private static void splitHalfSpectrum(double[] z, int h, double[] tw, double[] out) {
        for (int k = 0; k <= h; k++) {
            int a = k == h ? 0 : 2 * k;
            int b = k == 0 ? 0 : 2 * (h - k);
            double ar = z[a], ai = z[a + 1], br = z[b], bi = -z[b + 1];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
            double wr = tw[2 * k], wi = tw[2 * k + 1];
            out[2 * k] = er + wr * or - wi * oi;
            out[2 * k + 1] = ei + wr * oi + wi * or;
        }
    }

    /** Inverse of {@link #splitHalfSpectrum}: {@code Z_k = E_k + i O_k} for {@code k < h}, unscaled. */
    private static void mergeHalfSpectrum(double[] x, int h, double[] tw, double[] z) {
        for (int k = 0; k < h; k++) {
            double ar = x[2 * k], ai = x[2 * k + 1], br = x[2 * (h - k)], bi = -x[2 * (h - k) + 1];
            double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
            double dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
            double wr = tw[2 * k], wi = -tw[2 * k + 1];          // conj(W^k)
            double or = dr * wr - di * wi, oi = dr * wi + di * wr;
            z[2 * k] = er - oi;
            z[2 * k + 1] = ei + or;
        }
    }

    /** Builds the full Hermitian spectrum of odd length {@code n} from its first {@code n/2+1} bins. */
    private static void hermitianFill(double[] half, int n, double[] full) {
        System.arraycopy(half, 0, full, 0, 2 * (n / 2 + 1));
        for (int k = 1; k <= n / 2; k++) {
            full[2 * (n - k)] = half[2 * k];
            full[2 * (n - k) + 1] = -half[2 * k + 1];
        }
    }

    /** Spreads {@code n} consecutive reals into interleaved complex values with zero imaginary part. */
    private static void widenToComplex(double[] a, int n) {
        for (int i = n - 1; i >= 0; i--) {
            a[2 * i] = a[i];
            a[2 * i + 1] = 0;
        }
    }

    /** Packs the real parts of {@code n} interleaved complex values into the first {@code n} slots. */
    private static void narrowToReal(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = a[2 * i];
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Plans: radix-2 tables and Bluestein chirps, cached per length

    /** Tables for one complex transform length; immutable, so shared freely between threads. */
    private static final class Plan {
        final int n;
        /** Radix-2: bit-reversal permutation; null for Bluestein. */
        final int[] rev;
        /** Radix-2: cos and sin of {@code 2πk/n} for {@code k < n/2}. */
        final double[] cos;
        final double[] sin;
        /** Bluestein: the power-of-two plan that runs the convolution; null for radix-2. */
        final Plan conv;
        /** Bluestein: interleaved chirp {@code exp(-iπk²/n)} for {@code k < n}. */
        final double[] chirp;
        /** Bluestein: FFT of the conjugate chirp filter, pre-divided by the convolution length. */
        final double[] filter;

        private Plan(int n, int[] rev, double[] cos, double[] sin, Plan conv, double[] chirp, double[] filter) {
            this.n = n;
            this.rev = rev;
            this.cos = cos;
            this.sin = sin;
            this.conv = conv;
            this.chirp = chirp;
            this.filter = filter;
        }

        static Plan radix2(int n) {
            int bits = Integer.numberOfTrailingZeros(n);
            int[] rev = new int[n];
            for (int i = 1; i < n; i++) {
                rev[i] = Integer.reverse(i) >>> (32 - bits);
            }
            double[] cos = new double[n / 2];
            double[] sin = new double[n / 2];
            for (int k = 0; k < n / 2; k++) {
                double angle = 2 * Math.PI * k / n;
                cos[k] = Math.cos(angle);
                sin[k] = Math.sin(angle);
            }
            return new Plan(n, rev, cos, sin, null, null, null);
        }

        static Plan bluestein(int n, Plan conv) {
            int m = conv.n;
            double[] chirp = new double[2 * n];
            double[] filter = new double[2 * m];
            for (int k = 0; k < n; k++) {
                // NOTE: k² mod 2n keeps the angle small, so large k lose no precision.
                double angle = Math.PI * (((long) k * k) % (2L * n)) / n;
                chirp[2 * k] = Math.cos(angle);
                chirp[2 * k + 1] = -Math.sin(angle);
            }
            filter[0] = 1;
            for (int l = 1; l < n; l++) {
                filter[2 * l] = filter[2 * (m - l)] = chirp[2 * l];
                filter[2 * l + 1] = filter[2 * (m - l) + 1] = -chirp[2 * l + 1];
            }
            conv.radix2(filter, false);
            for (int i = 0; i < 2 * m; i++) {
                filter[i] /= m;
            }
            return new Plan(n, null, null, null, conv, chirp, filter);
        }

        /** Doubles of scratch that {@link #transform} needs besides the line. */
        int workLength() {
            return conv == null ? 0 : 2 * conv.n;
        }

        /** Rough work units of one line, for {@link Parallel#range}. */
        long cost() {
            int m = conv == null ? n : conv.n;
            long radix = (long) m * (Integer.numberOfTrailingZeros(m) + 1);
            return conv == null ? radix : 2 * radix + 4L * m;
        }

        /** Unscaled in-place transform of {@code n} interleaved complex values in {@code a}. */
        void transform(double[] a, double[] work, boolean inverse) {
            if (conv == null) {
                radix2(a, inverse);
                return;
            }
            // NOTE: the inverse is conj(FFT(conj(a))), so only the forward chirp is tabled.
            if (inverse) {
                conjugate(a, n);
            }
            bluestein(a, work);
            if (inverse) {
                conjugate(a, n);
            }
        }

        /** Iterative decimation-in-time radix-2 FFT; {@code inverse} flips the twiddle sign. */
        void radix2(double[] a, boolean inverse) {
            for (int i = 1; i < n; i++) {
                int j = rev[i];
                if (i < j) {
                    swap(a, 2 * i, 2 * j);
                    swap(a, 2 * i + 1, 2 * j + 1);
                }
            }
            double sign = inverse ? 1 : -1;
            for (int half = 1, step = n / 2; half < n; half <<= 1, step >>= 1) {
                for (int start = 0; start < n; start += 2 * half) {
                    for (int k = 0; k < half; k++) {
                        double wr = cos[k * step], wi = sign * sin[k * step];
                        int u = 2 * (start + k), v = u + 2 * half;
                        double xr = a[v] * wr - a[v + 1] * wi, xi = a[v] * wi + a[v + 1] * wr;
                        a[v] = a[u] - xr;
                        a[v + 1] = a[u + 1] - xi;
                        a[u] += xr;
                        a[u + 1] += xi;
                    }
                }
            }
        }

        /** Forward DFT as a convolution: {@code X_k = c_k Σ_j (x_j c_j) conj(c_k-j)}, {@code c_k = exp(-iπk²/n)}. */
        private void bluestein(double[] a, double[] w) {
            for (int k = 0; k < n; k++) {
                double cr = chirp[2 * k], ci = chirp[2 * k + 1], ar = a[2 * k], ai = a[2 * k + 1];
                w[2 * k] = ar * cr - ai * ci;
                w[2 * k + 1] = ar * ci + ai * cr;
            }
            Arrays.fill(w, 2 * n, w.length, 0);
            conv.radix2(w, false);
            for (int i = 0; i < w.length; i += 2) {
                double wr = w[i], wi = w[i + 1], fr = filter[i], fi = filter[i + 1];
                w[i] = wr * fr - wi * fi;
                w[i + 1] = wr * fi + wi * fr;
            }
            conv.radix2(w, true);
            for (int k = 0; k < n; k++) {
                double cr = chirp[2 * k], ci = chirp[2 * k + 1], wr = w[2 * k], wi = w[2 * k + 1];
                a[2 * k] = wr * cr - wi * ci;
                a[2 * k + 1] = wr * ci + wi * cr;
            }
        }
    }

    /** The cached plan for length {@code n}. */
    private static Plan plan(int n) {
        Plan cached = PLANS.get(n);
        if (cached != null) {
            return cached;
        }
        // NOTE: not computeIfAbsent — a Bluestein plan needs a second plan, and ConcurrentHashMap forbids
        // updating the map from inside its own mapping function. Two threads may build the same plan once.
        Plan built = Integer.bitCount(n) == 1 ? Plan.radix2(n) : Plan.bluestein(n, plan(convolutionLength(n)));
        return cachePut(PLANS, n, built);
    }

    /** Interleaved {@code exp(-2πik/n)} for {@code k = 0..n/2}, used by the even-length real transforms. */
    private static double[] halfTwiddles(int n) {
        double[] cached = HALF_TWIDDLES.get(n);
        if (cached != null) {
            return cached;
        }
        double[] tw = new double[n + 2];
        for (int k = 0; k <= n / 2; k++) {
            double angle = 2 * Math.PI * k / n;
            tw[2 * k] = Math.cos(angle);
            tw[2 * k + 1] = -Math.sin(angle);
        }
        return cachePut(HALF_TWIDDLES, n, tw);
    }

    private static <T> T cachePut(Map<Integer, T> cache, int n, T value) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();   // racy but harmless: entries are immutable and callers keep their reference
        }
        T previous = cache.putIfAbsent(n, value);
        return previous == null ? value : previous;
    }

    /** The smallest power of two {@code >= 2n - 1}, the circular convolution length Bluestein needs. */
    private static int convolutionLength(int n) {
        long m = Long.highestOneBit(2L * n - 1);
        m = m == 2L * n - 1 ? m : 2 * m;
        if (2 * m > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("FFT length " + n + " is too large for Bluestein's algorithm");
        }
        return (int) m;
    }

    // ---------------------------------------------------------------------------------------------------
    // Strided line loads and stores

    private static void loadComplex(double[] src, int base, int stride, int count, double[] buf) {
        for (int i = 0, c = 2 * base; i < 2 * count; i += 2, c += 2 * stride) {
            buf[i] = src[c];
            buf[i + 1] = src[c + 1];
        }
    }

    private static void loadComplex(float[] src, int base, int stride, int count, double[] buf) {
        for (int i = 0, c = 2 * base; i < 2 * count; i += 2, c += 2 * stride) {
            buf[i] = src[c];
            buf[i + 1] = src[c + 1];
        }
    }

    private static void storeComplex(double[] buf, int count, double scale, double[] dst, int base, int stride) {
        for (int i = 0, c = 2 * base; i < 2 * count; i += 2, c += 2 * stride) {
            dst[c] = buf[i] * scale;
            dst[c + 1] = buf[i + 1] * scale;
        }
    }

    private static void storeComplex(double[] buf, int count, double scale, float[] dst, int base, int stride) {
        for (int i = 0, c = 2 * base; i < 2 * count; i += 2, c += 2 * stride) {
            dst[c] = (float) (buf[i] * scale);
            dst[c + 1] = (float) (buf[i + 1] * scale);
        }
    }

    private static void loadReal(double[] src, int base, int stride, int count, double[] buf) {
        for (int i = 0, c = base; i < count; i++, c += stride) {
            buf[i] = src[c];
        }
    }

    private static void loadReal(float[] src, int base, int stride, int count, double[] buf) {
        for (int i = 0, c = base; i < count; i++, c += stride) {
            buf[i] = src[c];
        }
    }

    private static void storeReal(double[] buf, int count, double scale, double[] dst, int base, int stride) {
        for (int i = 0, c = base; i < count; i++, c += stride) {
            dst[c] = buf[i] * scale;
        }
    }

    private static void storeReal(double[] buf, int count, double scale, float[] dst, int base, int stride) {
        for (int i = 0, c = base; i < count; i++, c += stride) {
            dst[c] = (float) (buf[i] * scale);
        }
    }

    private static void conjugate(double[] a, int n) {
        for (int i = 1; i < 2 * n; i += 2) {
            a[i] = -a[i];
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    // ---------------------------------------------------------------------------------------------------
    // Argument checks

    /** Checks the axis and that src holds {@code [outer, srcRows, inner, srcWidth]}, dst likewise. */
    private static void checkArrays(int srcLength, int dstLength, int outer, int srcRows, int dstRows,
            int inner, int srcWidth, int dstWidth) {
        if (outer < 0 || inner < 0 || srcRows < 1 || dstRows < 1) {
            throw new IllegalArgumentException("FFT axis needs outer >= 0, n >= 1, inner >= 0; got outer="
                    + outer + ", rows=" + srcRows + "/" + dstRows + ", inner=" + inner);
        }
        checkLength("src", srcLength, (long) outer * srcRows * inner * srcWidth);
        checkLength("dst", dstLength, (long) outer * dstRows * inner * dstWidth);
    }

    private static void checkLength(String name, int length, long needed) {
        if (length < needed) {
            throw new IllegalArgumentException(name + " has " + length + " elements but the FFT axis needs "
                    + needed);
        }
    }
}
