package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Helpers shared by the conformance tests of the shape, index, linear-algebra, nn and FFT ops: input makers
 * whose values are exact in both float32 and float64 (so one double reference serves both dtypes), row-major
 * index arithmetic for the plain-loop references, and value assertions with explicit tolerances. Tolerances
 * themselves are constants in each test file.
 */
final class ShapeTestSupport {
    private ShapeTestSupport() {}

    /** The floating dtypes every forward test runs in. */
    static Stream<DType> floatTypes() {
        return Stream.of(DType.FLOAT32, DType.FLOAT64);
    }

    /** Each case (an argument row) once per floating dtype, the dtype appended as the last argument. */
    static Stream<Arguments> withFloatTypes(Stream<Object[]> cases) {
        return cases.flatMap(c -> floatTypes().map(t -> {
            Object[] a = Arrays.copyOf(c, c.length + 1);
            a[c.length] = t;
            return Arguments.of(a);
        }));
    }

    /** {@code n} standard-normal values rounded to float32, so they are exact in both float types. */
    static double[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return d;
    }

    /** {@code n} distinct values at least 1/16 apart, in random order (inputs for max without ties). */
    static double[] distinctValues(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i - n / 2.0) / 16.0;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return d;
    }

    /** A tensor of {@code dtype} (float32 or float64) holding {@code data} in {@code shape}. */
    static Tensor tensor(double[] data, long[] shape, DType dtype) {
        Shape s = Shape.of(shape);
        if (dtype == DType.FLOAT64) {
            return Tensor.of(data.clone(), s);
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return Tensor.of(f, s);
    }

    /** A float64 tensor (gradient-check input). */
    static Tensor f64(double[] data, long... shape) {
        return Tensor.of(data.clone(), Shape.of(shape));
    }

    static int numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** Row-major multi-index of flat position {@code flat}. */
    static int[] unravel(int flat, long[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = (int) (flat % shape[d]);
            flat /= (int) shape[d];
        }
        return idx;
    }

    /** Row-major flat position of {@code idx}. */
    static int ravel(int[] idx, long[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * (int) shape[d] + idx[d];
        }
        return flat;
    }

    /** Asserts shape, dtype and every value exactly. */
    static void assertExact(double[] expected, long[] shape, DType dtype, Tensor actual) {
        assertValues(expected, shape, dtype, actual, 0, 0);
    }

    /** Asserts shape, dtype and every value within {@code atol + rtol·|expected|}. */
    static void assertValues(double[] expected, long[] shape, DType dtype, Tensor actual, double atol, double rtol) {
        assertEquals(Shape.of(shape), actual.shape(), "shape");
        assertEquals(dtype, actual.dtype(), "dtype");
        assertClose(expected, actual.toDoubleArray(), atol, rtol);
    }

    static void assertClose(double[] expected, double[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, "number of elements");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean same = Double.compare(e, a) == 0 || Math.abs(e - a) <= atol + rtol * Math.abs(e);
            if (!same) {
                throw new AssertionError("element " + i + ": expected " + e + " but was " + a + " (atol " + atol
                        + ", rtol " + rtol + ")\nexpected " + abbreviate(expected) + "\nactual   " + abbreviate(actual));
            }
        }
    }

    private static String abbreviate(double[] a) {
        return a.length <= 24 ? Arrays.toString(a) : Arrays.toString(Arrays.copyOf(a, 24)) + "...";
    }
}
