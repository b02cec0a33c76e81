package dev.janus.conformance;

import static dev.janus.conformance.ElementwiseConformanceTest.ANY;
import static dev.janus.conformance.ElementwiseConformanceTest.NONZERO;
import static dev.janus.conformance.ElementwiseConformanceTest.POS;
import static dev.janus.conformance.ElementwiseConformanceTest.SMALL_INTS;
import static dev.janus.conformance.ElementwiseConformanceTest.WITH_ZEROS;
import static dev.janus.conformance.ElementwiseReference.representable;
import static dev.janus.conformance.ElementwiseReference.tensor;
import static dev.janus.conformance.ElementwiseReference.truth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import dev.janus.conformance.ElementwiseConformanceTest.Domain;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Elementwise ops with Java scalar arguments, dtype promotion between tensors, integer and bool inputs, and
 * gradient corner cases (ties, zero bases, saturated tails) that the random table does not reach.
 */
class ElementwiseScalarAndPromotionTest {

    // ------------------------------------------------------------------ Java scalar arguments

    /** A binary op with a Java scalar: input dtype, expected output dtype, op and reference. */
    record ScalarCase(String name, DType in, DType out, Function<Tensor, Tensor> op, DoubleUnaryOperator ref,
            Domain domain, boolean grad) {
        @Override
        public String toString() {
            return name + "(" + in.shortName() + ")";
        }
    }

    static Stream<ScalarCase> scalarCases() {
        List<ScalarCase> c = new ArrayList<>();
        DType f32 = DType.FLOAT32;
        DType f64 = DType.FLOAT64;
        DType i32 = DType.INT32;
        DType i64 = DType.INT64;
        DType b = DType.BOOL;
        Domain ints = (r, arg) -> r.nextInt(11) - 5;
        Domain posInts = (r, arg) -> r.nextInt(5) + 1;
        for (DType t : new DType[] {f32, f64}) {
            c.add(new ScalarCase("add(2.5)", t, t, x -> x.add(2.5), x -> x + 2.5, ANY, true));
            c.add(new ScalarCase("add(3L)", t, t, x -> x.add(3L), x -> x + 3, ANY, true));
            c.add(new ScalarCase("sub(1.5)", t, t, x -> x.sub(1.5), x -> x - 1.5, ANY, true));
            c.add(new ScalarCase("sub(2L)", t, t, x -> x.sub(2L), x -> x - 2, ANY, true));
            c.add(new ScalarCase("rsub(1.5)", t, t, x -> x.rsub(1.5), x -> 1.5 - x, ANY, true));
            c.add(new ScalarCase("mul(-1.5)", t, t, x -> x.mul(-1.5), x -> x * -1.5, ANY, true));
            c.add(new ScalarCase("mul(3L)", t, t, x -> x.mul(3L), x -> x * 3, ANY, true));
            c.add(new ScalarCase("div(4.0)", t, t, x -> x.div(4.0), x -> x / 4, ANY, true));
            c.add(new ScalarCase("rdiv(2.0)", t, t, x -> x.rdiv(2.0), x -> 2 / x, NONZERO, true));
            c.add(new ScalarCase("pow(2.0)", t, t, x -> x.pow(2.0), x -> x * x, ANY, true));
            c.add(new ScalarCase("pow(3.0)", t, t, x -> x.pow(3.0), x -> Math.pow(x, 3), POS, true));
            c.add(new ScalarCase("pow(0.5)", t, t, x -> x.pow(0.5), Math::sqrt, POS, true));
            c.add(new ScalarCase("clampMin(0.25)", t, t, x -> x.clampMin(0.25), x -> Math.max(x, 0.25), ANY, true));
            c.add(new ScalarCase("clampMax(0.25)", t, t, x -> x.clampMax(0.25), x -> Math.min(x, 0.25), ANY, true));
            c.add(new ScalarCase("eq(1.0)", t, b, x -> x.eq(1.0), x -> truth(x == 1), SMALL_INTS, false));
            c.add(new ScalarCase("ne(1.0)", t, b, x -> x.ne(1.0), x -> truth(x != 1), SMALL_INTS, false));
            c.add(new ScalarCase("lt(0.5)", t, b, x -> x.lt(0.5), x -> truth(x < 0.5), SMALL_INTS, false));
            c.add(new ScalarCase("le(1.0)", t, b, x -> x.le(1.0), x -> truth(x <= 1), SMALL_INTS, false));
            c.add(new ScalarCase("gt(0.0)", t, b, x -> x.gt(0.0), x -> truth(x > 0), SMALL_INTS, false));
            c.add(new ScalarCase("ge(1.0)", t, b, x -> x.ge(1.0), x -> truth(x >= 1), SMALL_INTS, false));
        }
        // integer tensors: an integral Java scalar keeps the integer type, a fractional one gives float32
        c.add(new ScalarCase("add(3L)", i32, i32, x -> x.add(3L), x -> x + 3, ints, false));
        c.add(new ScalarCase("add(3L)", i64, i64, x -> x.add(3L), x -> x + 3, ints, false));
        c.add(new ScalarCase("add(2.5)", i32, f32, x -> x.add(2.5), x -> x + 2.5, ints, false));
        c.add(new ScalarCase("sub(2L)", i32, i32, x -> x.sub(2L), x -> x - 2, ints, false));
        c.add(new ScalarCase("rsub(1.5)", i32, f32, x -> x.rsub(1.5), x -> 1.5 - x, ints, false));
        c.add(new ScalarCase("mul(3L)", i32, i32, x -> x.mul(3L), x -> x * 3, ints, false));
        c.add(new ScalarCase("mul(3L)", i64, i64, x -> x.mul(3L), x -> x * 3, ints, false));
        c.add(new ScalarCase("mul(3L)", b, i64, x -> x.mul(3L), x -> x * 3, WITH_ZEROS, false));
        c.add(new ScalarCase("mul(0.5)", i64, f32, x -> x.mul(0.5), x -> x * 0.5, ints, false));
        c.add(new ScalarCase("div(4.0)", i32, f32, x -> x.div(4.0), x -> x / 4, ints, false));
        c.add(new ScalarCase("rdiv(2.0)", i32, f32, x -> x.rdiv(2.0), x -> 2 / x, posInts, false));
        c.add(new ScalarCase("pow(2.0)", i32, f32, x -> x.pow(2.0), x -> x * x, ints, false));
        c.add(new ScalarCase("pow(0.5)", i32, f32, x -> x.pow(0.5), Math::sqrt, posInts, false));
        c.add(new ScalarCase("eq(1.0)", i32, b, x -> x.eq(1.0), x -> truth(x == 1), ints, false));
        c.add(new ScalarCase("lt(0.5)", i64, b, x -> x.lt(0.5), x -> truth(x < 0.5), ints, false));
        c.add(new ScalarCase("clampMin(-1)", i32, i32, x -> x.clampMin(-1), x -> Math.max(x, -1), ints, false));
        c.add(new ScalarCase("clamp(-1, 2)", i64, i64, x -> x.clamp(-1, 2), x -> Math.min(Math.max(x, -1), 2), ints, false));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scalarCases")
    void scalarArgument_matchesReference(ScalarCase sc) {
        SplittableRandom r = new SplittableRandom(sc.name().hashCode());
        double[] v = new double[12];
        for (int i = 0; i < v.length; i++) {
            v[i] = sc.domain().sample(r, 0);
        }
        double[] held = representable(v, sc.in());
        for (long[] shape : new long[][] {{3, 4}, {}}) {
            double[] vals = shape.length == 0 ? new double[] {held[0]} : held;
            Tensor result = sc.op().apply(tensor(vals, sc.in(), shape));
            assertEquals(sc.out(), result.dtype(), sc + ": output dtype");
            assertArrayEquals(shape, result.shape().dims(), sc + ": output shape");
            double[] expected = new double[vals.length];
            for (int i = 0; i < vals.length; i++) {
                expected[i] = representable(sc.ref().applyAsDouble(vals[i]), sc.out());
            }
            Tolerances.assertClose(sc.toString(), sc.out(), expected, result.toDoubleArray());
        }
        if (sc.grad() && sc.in() == DType.FLOAT64) {
            GradCheck.check(in -> sc.op().apply(in[0]), tensor(held, DType.FLOAT64, 3, 4));
        }
    }

    // ------------------------------------------------------------------ dtype promotion

    @Test
    void add_int32AndFloat32_promotesToFloat32() {
        Tensor r = Tensor.of(new int[] {1, 2, 3}).add(Tensor.of(new float[] {0.5f, 0.25f, -4f}));
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[] {1.5f, 2.25f, -1f}, r.toFloatArray());
        Tensor s = Tensor.of(new float[] {0.5f, 0.25f, -4f}).mul(Tensor.of(new int[] {1, 2, 3}));
        assertEquals(DType.FLOAT32, s.dtype());
        assertArrayEquals(new float[] {0.5f, 0.5f, -12f}, s.toFloatArray());
    }

    @Test
    void add_int32AndInt32_staysInt32() {
        Tensor r = Tensor.of(new int[] {1, -2, 30000}).add(Tensor.of(new int[] {4, 5, 70000}));
        assertEquals(DType.INT32, r.dtype());
        assertArrayEquals(new int[] {5, 3, 100000}, r.toIntArray());
        Tensor m = Tensor.of(new int[] {7, -3}).mul(Tensor.of(new int[] {6, 5}));
        assertEquals(DType.INT32, m.dtype());
        assertArrayEquals(new int[] {42, -15}, m.toIntArray());
    }

    @Test
    void add_int32AndInt64_promotesToInt64() {
        Tensor r = Tensor.of(new int[] {2_000_000_000, 1}).add(Tensor.of(new long[] {2_000_000_000L, -1}));
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[] {4_000_000_000L, 0}, r.toLongArray());
    }

    @Test
    void add_largeInt64_isExactBeyondDoublePrecision() {
        long big = (1L << 53) + 1;
        Tensor r = Tensor.of(new long[] {big, Long.MAX_VALUE - 5}).add(Tensor.of(new long[] {2, 3}));
        assertArrayEquals(new long[] {big + 2, Long.MAX_VALUE - 2}, r.toLongArray());
        assertEquals(big * 1, Tensor.of(new long[] {big}).mul(1L).itemLong());
    }

    @Test
    void add_float32AndFloat64_promotesToFloat64() {
        Tensor r = Tensor.of(new float[] {0.1f}).add(Tensor.of(new double[] {0.2}));
        assertEquals(DType.FLOAT64, r.dtype());
        assertEquals((double) 0.1f + 0.2, r.item(), 0);
    }

    @Test
    void div_int32ByInt32_givesFloat32TrueDivision() {
        Tensor r = Tensor.of(new int[] {7, -7, 1, 0}).div(Tensor.of(new int[] {2, 2, 0, 0}));
        assertEquals(DType.FLOAT32, r.dtype());
        float[] v = r.toFloatArray();
        assertEquals(3.5f, v[0]);
        assertEquals(-3.5f, v[1]);
        assertEquals(Float.POSITIVE_INFINITY, v[2]);
        assertTrue(Float.isNaN(v[3]));
        Tensor l = Tensor.of(new long[] {1}).div(Tensor.of(new long[] {4}));
        assertEquals(DType.FLOAT32, l.dtype());
        assertEquals(0.25, l.item());
    }

    static Stream<String> boolArithmetic() {
        return Stream.of("add", "sub", "mul", "maximum", "minimum");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("boolArithmetic")
    void arithmetic_boolAndBool_throwsNamingOp(String op) {
        Tensor a = Tensor.of(new boolean[] {true, false});
        Tensor b = Tensor.of(new boolean[] {true, true});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> {
                    switch (op) {
                        case "add" -> a.add(b);
                        case "sub" -> a.sub(b);
                        case "mul" -> a.mul(b);
                        case "maximum" -> a.maximum(b);
                        default -> a.minimum(b);
                    }
                });
        assertTrue(e.getMessage().contains("'" + op + "'"), "message should name '" + op + "': " + e.getMessage());
    }

    @Test
    void unaryFloatOp_int32Input_computesInFloat32() {
        Tensor x = Tensor.of(new int[] {0, 1, 4, 9});
        Tensor e = x.exp();
        assertEquals(DType.FLOAT32, e.dtype());
        Tolerances.assertClose("exp(i32)", DType.FLOAT32, new double[] {1, Math.E, (float) Math.exp(4), (float) Math.exp(9)},
                e.toDoubleArray());
        Tensor s = x.sqrt();
        assertEquals(DType.FLOAT32, s.dtype());
        assertArrayEquals(new float[] {0, 1, 2, 3}, s.toFloatArray());
        assertEquals(DType.FLOAT32, Tensor.of(new long[] {1}).sigmoid().dtype());
        assertEquals(DType.FLOAT32, Tensor.of(new int[] {1}).gelu().dtype());
    }

    @Test
    void integerUnaryOps_int32Input_keepInt32() {
        Tensor x = Tensor.of(new int[] {-3, 0, 5});
        assertArrayEquals(new int[] {3, 0, -5}, x.neg().toIntArray());
        assertArrayEquals(new int[] {3, 0, 5}, x.abs().toIntArray());
        assertArrayEquals(new int[] {-1, 0, 1}, x.sign().toIntArray());
        assertArrayEquals(new int[] {0, 0, 5}, x.relu().toIntArray());
        assertArrayEquals(new int[] {-3, 0, 5}, x.floor().toIntArray());
        assertArrayEquals(new int[] {-3, 0, 5}, x.round().toIntArray());
        for (Tensor t : new Tensor[] {x.neg(), x.abs(), x.sign(), x.relu(), x.floor(), x.ceil()}) {
            assertEquals(DType.INT32, t.dtype());
        }
        assertArrayEquals(new long[] {-3, 0, 5}, Tensor.of(new long[] {-3, 0, 5}).maximum(Tensor.of(new long[] {-4, -1, 2}))
                .toLongArray());
    }

    @Test
    void compare_int32AndFloat32_comparesAsFloat() {
        Tensor r = Tensor.of(new int[] {1, 2, 3}).lt(Tensor.of(new float[] {1.5f, 1.5f, 3f}));
        assertEquals(DType.BOOL, r.dtype());
        assertArrayEquals(new boolean[] {true, false, false}, r.toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, Tensor.of(new int[] {1, 2, 3}).eq(Tensor.of(new double[] {1.5, 2.5, 3}))
                .toBooleanArray());
    }

    @Test
    void where_intAndFloatBranches_promotesToFloat32() {
        Tensor r = Tensor.where(Tensor.of(new boolean[] {true, false}), Tensor.of(new int[] {1, 2}),
                Tensor.of(new float[] {0.5f, 0.25f}));
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[] {1f, 0.25f}, r.toFloatArray());
    }

    @Test
    void logicalOps_boolInputs_matchTruthTables() {
        Tensor a = Tensor.of(new boolean[] {false, false, true, true});
        Tensor b = Tensor.of(new boolean[] {false, true, false, true});
        assertArrayEquals(new boolean[] {false, false, false, true}, a.logicalAnd(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, true}, a.logicalOr(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, false}, a.logicalXor(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, false}, a.logicalNot().toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, false}, a.lt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, true}, a.eq(b).toBooleanArray());
        Tensor ints = Tensor.of(new int[] {0, 3, -1, 0});
        assertArrayEquals(new boolean[] {false, true, false, false}, ints.logicalAnd(b).toBooleanArray());
    }

    @Test
    void cast_backward_returnsGradientInInputDtype() {
        Tensor x = Tensor.of(new double[] {0.5, -1.25}).requiresGrad(true);
        x.cast(DType.FLOAT32).mul(3.0).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
        Tensor i = x.cast(DType.INT32);
        assertEquals(false, i.requiresGrad(), "an integer result carries no gradient");
    }

    @Test
    void maximumMinimum_tiedInputs_splitGradientEvenly() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {1, 5, 0}).requiresGrad(true);
        x.maximum(y).sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 1}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.5, 1, 0}, y.grad().toDoubleArray(), 0);
        x.zeroGrad();
        y.zeroGrad();
        x.minimum(y).sum().backward();
        assertArrayEquals(new double[] {0.5, 1, 0}, x.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.5, 0, 1}, y.grad().toDoubleArray(), 0);
    }

    /** d/dy x^y = x^y·log x is taken as 0 at x = 0 (PyTorch's limit), so it stays finite. */
    @Test
    void pow_zeroBase_givesFiniteGradients() {
        Tensor x = Tensor.of(new double[] {0, 2}).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {2, 3}).requiresGrad(true);
        x.pow(y).sum().backward();
        assertArrayEquals(new double[] {0, 3 * 4}, x.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {0, 8 * Math.log(2)}, y.grad().toDoubleArray(), 1e-14);
    }

    /** Saturating functions must give their limits, not NaN, far out in the tails. */
    @Test
    void gradient_extremeInputs_isFiniteLimit() {
        double[] v = {-1000, -30, 30, 1000};
        record Case(String name, Function<Tensor, Tensor> f, DoubleUnaryOperator df) { }
        List<Case> cases = List.of(
                new Case("sigmoid", Tensor::sigmoid, x -> ElementwiseReference.sigmoid(x) * (1 - ElementwiseReference.sigmoid(x))),
                new Case("tanh", Tensor::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x)),
                new Case("softplus", Tensor::softplus, ElementwiseReference::sigmoid),
                new Case("gelu", Tensor::gelu, x -> 0.5 * (1 + ElementwiseReference.erf(x / Math.sqrt(2)))
                        + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI)),
                new Case("erf", Tensor::erf, x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x)),
                new Case("clamp", x -> x.clamp(-1, 1), x -> 0));
        for (Case c : cases) {
            Tensor x = Tensor.of(v.clone()).requiresGrad(true);
            c.f().apply(x).sum().backward();
            double[] g = x.grad().toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                assertTrue(Double.isFinite(g[i]), c.name() + "'(" + v[i] + ") is " + g[i]);
                assertEquals(c.df().applyAsDouble(v[i]), g[i], 1e-12, c.name() + "'(" + v[i] + ")");
            }
        }
    }

    @Test
    void classify_integerInputs_areNeverNanOrInfinite() {
        Tensor x = Tensor.of(new int[] {0, -5, Integer.MAX_VALUE});
        assertArrayEquals(new boolean[3], x.isNan().toBooleanArray());
        assertArrayEquals(new boolean[3], x.isInf().toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true}, x.isFinite().toBooleanArray());
    }

    @Test
    void where_nonBoolCondition_treatsNonzeroAsTrue() {
        Tensor r = Tensor.where(Tensor.of(new float[] {0, 2.5f, -1}), Tensor.of(new double[] {1, 2, 3}),
                Tensor.of(new double[] {-1, -2, -3}));
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {-1, 2, 3}, r.toDoubleArray());
    }

    @Test
    void binary_incompatibleShapes_throwsNamingOpAndShapes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("'add'") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"),
                e.getMessage());
    }

    @Test
    void referenceErf_knownValues_matchTables() {
        // Abramowitz & Stegun / DLMF values, to check the test's own reference
        assertEquals(0.0, ElementwiseReference.erf(0), 0);
        assertEquals(0.5204998778130465, ElementwiseReference.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, ElementwiseReference.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, ElementwiseReference.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, ElementwiseReference.erf(3), 1e-15);
        assertEquals(1 - 1.5374597944280349e-12, ElementwiseReference.erf(5), 1e-15);
        assertEquals(1.1283791670955126e-30, ElementwiseReference.erf(1e-30), 1e-45);
    }
}
