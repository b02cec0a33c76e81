package dev.janus.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Tensor creation, random generators, host copies and printing. */
class CreationAndHostCopyTest {

    // ------------------------------------------------------------------ Tensor.of

    @Test
    void of_eachArrayType_keepsValuesShapeAndDtype() {
        Tensor f = Tensor.of(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, 2, 3);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new long[] {2, 3}, f.shape().dims());
        assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, f.toFloatArray());

        Tensor d = Tensor.of(new double[] {0.1, 1e-300, -7});
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new long[] {3}, d.shape().dims());
        assertArrayEquals(new double[] {0.1, 1e-300, -7}, d.toDoubleArray());

        Tensor i = Tensor.of(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 5}, 2, 2);
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 5}, i.toIntArray());

        Tensor l = Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2, 1);
        assertEquals(DType.INT64, l.dtype());
        assertArrayEquals(new long[] {2, 1}, l.shape().dims());
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, l.toLongArray());

        Tensor b = Tensor.of(new boolean[] {true, false, true});
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
    }

    @Test
    void of_explicitScalarAndEmptyShapes_areRespected() {
        Tensor s = Tensor.of(new double[] {4.25}, Shape.scalar());
        assertEquals(0, s.rank());
        assertEquals(4.25, s.item());
        Tensor sf = Tensor.of(new float[] {2f}, Shape.scalar());
        assertEquals(DType.FLOAT32, sf.dtype());
        assertEquals(0, sf.rank());
        Tensor e = Tensor.of(new float[0], 0, 3);
        assertArrayEquals(new long[] {0, 3}, e.shape().dims());
        assertEquals(0, e.numel());
        assertEquals(0, e.toFloatArray().length);
    }

    @Test
    void of_copiesTheSourceArray() {
        float[] src = {1, 2, 3};
        Tensor t = Tensor.of(src);
        src[0] = 100;
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        float[] out = t.toFloatArray();
        out[1] = -1;
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray(), "host copies must not alias the tensor");
    }

    @Test
    void of_wrongLength_throwsNamingShape() {
        assertWrongLength(() -> Tensor.of(new float[5], 2, 3), "[2, 3]");
        assertWrongLength(() -> Tensor.of(new double[7], 2, 3), "[2, 3]");
        assertWrongLength(() -> Tensor.of(new int[2], 3), "[3]");
        assertWrongLength(() -> Tensor.of(new long[4], 1, 5), "[1, 5]");
        assertWrongLength(() -> Tensor.of(new boolean[1], 2, 2), "[2, 2]");
        assertWrongLength(() -> Tensor.of(new double[2], Shape.scalar()), "[]");
        assertWrongLength(() -> Tensor.of(new float[2], Shape.of(3L)), "[3]");
    }

    private static void assertWrongLength(Supplier<Tensor> make, String shape) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().contains(shape), "message should name shape " + shape + ": " + e.getMessage());
    }

    // ------------------------------------------------------------------ filled tensors

    @Test
    void zerosOnesFull_fillWithValueAndDtype() {
        Tensor z = Tensor.zeros(2, 3);
        assertEquals(DType.FLOAT32, z.dtype());
        assertArrayEquals(new long[] {2, 3}, z.shape().dims());
        assertArrayEquals(new float[6], z.toFloatArray());
        Tensor zi = Tensor.zeros(DType.INT32, 4);
        assertEquals(DType.INT32, zi.dtype());
        assertArrayEquals(new int[4], zi.toIntArray());
        Tensor o = Tensor.ones(DType.FLOAT64, 2);
        assertArrayEquals(new double[] {1, 1}, o.toDoubleArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toFloatArray());
        Tensor f = Tensor.full(2.5, 2, 2);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, f.toFloatArray());
        assertArrayEquals(new long[] {-7, -7}, Tensor.full(-7, DType.INT64, 2).toLongArray());
        assertArrayEquals(new boolean[] {true, true}, Tensor.full(1, DType.BOOL, 2).toBooleanArray());
        Tensor scalar = Tensor.zeros();
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.numel());
        assertEquals(3.0, Tensor.scalar(3, DType.FLOAT64).item());
        assertEquals(0, Tensor.scalar(3, DType.FLOAT64).rank());
    }

    @Test
    void zerosLikeOnesLike_keepShapeAndDtype() {
        Tensor x = Tensor.of(new int[] {5, 6, 7, 8}, 2, 2);
        Tensor z = Tensor.zerosLike(x);
        Tensor o = Tensor.onesLike(x);
        assertEquals(DType.INT32, z.dtype());
        assertEquals(DType.INT32, o.dtype());
        assertArrayEquals(new long[] {2, 2}, z.shape().dims());
        assertArrayEquals(new int[4], z.toIntArray());
        assertArrayEquals(new int[] {1, 1, 1, 1}, o.toIntArray());
        Tensor d = Tensor.onesLike(Tensor.of(new double[] {3}, Shape.scalar()));
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0, d.rank());
        assertEquals(1.0, d.item());
    }

    @Test
    void arange_endOnly_givesInt64Range() {
        Tensor a = Tensor.arange(5);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, a.toLongArray());
        assertEquals(0, Tensor.arange(0).numel());
    }

    @Test
    void arange_startEndStep_excludesEnd() {
        Tensor a = Tensor.arange(0, 1, 0.25);
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f}, a.toFloatArray());
        assertArrayEquals(new double[] {5, 3, 1}, Tensor.arange(5, 0, -2, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new double[] {1, 1.5, 2}, Tensor.arange(1, 2.5, 0.5, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new long[] {-3, -1, 1}, Tensor.arange(-3, 2, 2, DType.INT64).toLongArray());
        assertEquals(0, Tensor.arange(3, 1, 1).numel());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0));
    }

    @Test
    void linspace_manySteps_includesBothEnds() {
        Tensor l = Tensor.linspace(0, 1, 5);
        assertEquals(DType.FLOAT32, l.dtype());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, l.toFloatArray());
        assertArrayEquals(new float[] {3, 1, -1}, Tensor.linspace(3, -1, 3).toFloatArray());
        assertEquals(0, Tensor.linspace(0, 1, 0).numel());
    }

    /** numpy.linspace(-1, 1, 1) and torch.linspace(-1, 1, 1) are both [-1]: one step is the start. */
    @Test
    void linspace_oneStep_givesStart() {
        assertArrayEquals(new float[] {-1}, Tensor.linspace(-1, 1, 1).toFloatArray());
    }

    @Test
    void eye_squareAndRectangular_haveOnesOnDiagonal() {
        Tensor e = Tensor.eye(3);
        assertEquals(DType.FLOAT32, e.dtype());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, e.toFloatArray());
        Tensor r = Tensor.eye(2, 3, DType.INT64);
        assertArrayEquals(new long[] {2, 3}, r.shape().dims());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 0}, r.toLongArray());
        Tensor t = Tensor.eye(3, 2, DType.FLOAT64);
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, t.toDoubleArray());
    }

    // ------------------------------------------------------------------ random

    @Test
    void generator_sameSeed_givesSameTensors() {
        assertArrayEquals(Tensor.randn(new Generator(7), 50).toFloatArray(), Tensor.randn(new Generator(7), 50).toFloatArray());
        assertArrayEquals(Tensor.rand(new Generator(7), 50).toFloatArray(), Tensor.rand(new Generator(7), 50).toFloatArray());
        assertArrayEquals(Tensor.randint(new Generator(7), 0, 100, 50).toLongArray(),
                Tensor.randint(new Generator(7), 0, 100, 50).toLongArray());
        assertFalse(java.util.Arrays.equals(Tensor.randn(new Generator(7), 50).toFloatArray(),
                Tensor.randn(new Generator(8), 50).toFloatArray()), "different seeds must give different values");
    }

    @Test
    void generator_restoredState_repeatsSequence() {
        Generator g = new Generator(3);
        Tensor.randn(g, 10);
        long state = g.state();
        float[] a = Tensor.randn(g, 10).toFloatArray();
        g.setState(state);
        assertArrayEquals(a, Tensor.randn(g, 10).toFloatArray());
        Generator h = new Generator(3);
        float[] first = Tensor.randn(h, 10).toFloatArray();
        assertFalse(java.util.Arrays.equals(first, Tensor.randn(h, 10).toFloatArray()), "a generator must advance");
    }

    @Test
    void manualSeed_reseeding_repeatsDefaultGenerator() {
        Janus.manualSeed(42);
        float[] a = Tensor.randn(20).toFloatArray();
        float[] ar = Tensor.rand(20).toFloatArray();
        long[] ai = Tensor.randint(0, 1000, 20).toLongArray();
        Janus.manualSeed(42);
        assertArrayEquals(a, Tensor.randn(20).toFloatArray());
        assertArrayEquals(ar, Tensor.rand(20).toFloatArray());
        assertArrayEquals(ai, Tensor.randint(0, 1000, 20).toLongArray());
        Janus.manualSeed(43);
        assertFalse(java.util.Arrays.equals(a, Tensor.randn(20).toFloatArray()));
    }

    @Test
    void randn_100kSamples_haveStandardNormalMoments() {
        double[] v = Tensor.randn(new Generator(2024), 100_000).toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        int within1 = 0;
        int within2 = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
            within1 += Math.abs(x) < 1 ? 1 : 0;
            within2 += Math.abs(x) < 2 ? 1 : 0;
        }
        double std = Math.sqrt(var / (v.length - 1));
        // standard error of the mean is 0.0032 and of the std 0.0022: these bounds are over 6 sigma
        assertEquals(0, mean, 0.02, "mean");
        assertEquals(1, std, 0.015, "std");
        assertEquals(0.6827, within1 / (double) v.length, 0.01, "P(|x| < 1)");
        assertEquals(0.9545, within2 / (double) v.length, 0.006, "P(|x| < 2)");
        assertEquals(DType.FLOAT64, Tensor.randn(new Generator(1), DType.FLOAT64, 3).dtype());
    }

    @Test
    void rand_100kSamples_areUniformOnUnitInterval() {
        float[] v = Tensor.rand(new Generator(5), 100_000).toFloatArray();
        double mean = 0;
        int low = 0;
        for (float x : v) {
            assertTrue(x >= 0 && x < 1, "rand value out of [0, 1): " + x);
            mean += x;
            low += x < 0.1 ? 1 : 0;
        }
        assertEquals(0.5, mean / v.length, 0.006);
        assertEquals(0.1, low / (double) v.length, 0.006);
    }

    @Test
    void randint_range_coversEveryValueAndNothingElse() {
        Tensor t = Tensor.randint(new Generator(9), -2, 3, 10_000);
        assertEquals(DType.INT64, t.dtype());
        int[] counts = new int[5];
        for (long x : t.toLongArray()) {
            assertTrue(x >= -2 && x < 3, "randint value out of [-2, 3): " + x);
            counts[(int) x + 2]++;
        }
        for (int c : counts) {
            assertEquals(2000, c, 250, "each value should appear about 1/5 of the time");
        }
        Tensor shaped = Tensor.randint(new Generator(1), 0, 10, 2, 3);
        assertArrayEquals(new long[] {2, 3}, shaped.shape().dims());
        assertThrows(IllegalArgumentException.class, () -> Tensor.randint(new Generator(1), 5, 5, 3));
    }

    // ------------------------------------------------------------------ host copies

    @Test
    void hostCopies_convertBetweenDtypes() {
        Tensor f = Tensor.of(new float[] {-2.7f, 0f, 2.7f, 0.5f});
        assertArrayEquals(new long[] {-2, 0, 2, 0}, f.toLongArray(), "float to integer truncates toward zero");
        assertArrayEquals(new int[] {-2, 0, 2, 0}, f.toIntArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, f.toBooleanArray());
        assertArrayEquals(new double[] {(double) -2.7f, 0, (double) 2.7f, 0.5}, f.toDoubleArray());
        Tensor i = Tensor.of(new int[] {3, -1});
        assertArrayEquals(new float[] {3, -1}, i.toFloatArray());
        assertArrayEquals(new double[] {3, -1}, i.toDoubleArray());
        assertArrayEquals(new boolean[] {true, true}, i.toBooleanArray());
        Tensor b = Tensor.of(new boolean[] {true, false});
        assertArrayEquals(new float[] {1, 0}, b.toFloatArray());
        assertArrayEquals(new long[] {1, 0}, b.toLongArray());
        Tensor d = Tensor.of(new double[] {Double.NaN, -0.0, 1e-300});
        assertArrayEquals(new boolean[] {true, false, true}, d.toBooleanArray(), "NaN is nonzero, -0 is zero");
    }

    @Test
    void item_oneElement_returnsValue() {
        assertEquals(2.5, Tensor.of(new float[] {2.5f}).item());
        assertEquals(-3.0, Tensor.of(new int[] {-3}, 1, 1).item());
        assertEquals(1.0, Tensor.of(new boolean[] {true}).item());
        long big = (1L << 53) + 1;
        assertEquals(big, Tensor.of(new long[] {big}).itemLong(), "itemLong must be exact beyond 2^53");
        assertEquals(7, Tensor.of(new double[] {7.9}).itemLong());
    }

    @Test
    void item_severalElements_throwsNamingShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 2).item());
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0).itemLong());
    }

    // ------------------------------------------------------------------ printing

    @Test
    void toString_float2x3_printsLikeNumpy() {
        Tensor t = Tensor.of(new float[] {0.5f, 1.25f, 2f, 3f, 4.125f, 5.5f}, 2, 3);
        assertEquals("tensor([[0.5000, 1.2500, 2.0000],\n"
                + "        [3.0000, 4.1250, 5.5000]], shape=[2, 3], dtype=f32)", t.toString());
    }

    @Test
    void toString_int2x3_printsLikeNumpy() {
        Tensor t = Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals("tensor([[1, 2, 3],\n"
                + "        [4, 5, 6]], shape=[2, 3], dtype=i32)", t.toString());
    }

    @Test
    void toString_scalarAndEmpty_printLikeNumpy() {
        assertEquals("tensor(2.5000, shape=[], dtype=f64)", Tensor.of(new double[] {2.5}, Shape.scalar()).toString());
        assertEquals("tensor([], shape=[0], dtype=f32)", Tensor.zeros(0).toString());
    }

    /**
     * numpy and PyTorch right-align every element to the widest one, so that columns line up
     * ({@code np.array([[1, -20, 3], [400, 5, 6]])} prints {@code [[  1, -20,   3], [400,   5,   6]]}); the
     * TensorFormat Javadoc promises "aligned columns".
     */
    @Test
    void toString_int2x3MixedWidths_alignsColumns() {
        Tensor t = Tensor.of(new int[] {1, -20, 3, 400, 5, 6}, 2, 3);
        assertEquals("tensor([[  1, -20,   3],\n"
                + "        [400,   5,   6]], shape=[2, 3], dtype=i32)", t.toString());
    }

    /** As numpy prints {@code [ True, False,  True]}, with Java's lower-case names. */
    @Test
    void toString_bool_printsAlignedLowercaseValues() {
        Tensor t = Tensor.of(new boolean[] {true, false, true});
        assertEquals("tensor([ true, false,  true], shape=[3], dtype=bool)", t.toString());
    }

    @Test
    void toString_100x100_isSummarizedWithEllipsis() {
        Tensor t = Tensor.arange(10_000).reshape(100, 100);
        String s = t.toString();
        assertTrue(s.contains("..."), s);
        assertTrue(s.length() < 1000, "a summary should be short, got " + s.length() + " characters");
        assertTrue(s.startsWith("tensor([["), s);
        assertTrue(s.contains("9999"), "the last element is shown: " + s);
        assertTrue(java.util.regex.Pattern.compile("97,\\s+98,\\s+99]").matcher(s).find(),
                "the end of the first row is shown: " + s);
        assertFalse(s.contains("4950"), "a middle element is elided: " + s);
        assertTrue(s.endsWith("shape=[100, 100], dtype=i64)"), s);
    }

    @Test
    void toString_1000Elements_isNotSummarized() {
        String s = Tensor.arange(1000).toString();
        assertFalse(s.contains("..."), "numpy summarizes only above 1000 elements");
        assertTrue(s.contains(" 500,"), s.substring(0, 80));
    }
}
