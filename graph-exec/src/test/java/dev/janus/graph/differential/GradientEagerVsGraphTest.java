package dev.janus.graph.differential;

import static dev.janus.DType.FLOAT32;
import static dev.janus.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import dev.janus.graph.Autodiff;
import dev.janus.graph.CompiledGraph;
import dev.janus.graph.Executor;
import dev.janus.graph.passes.PassManager;
import dev.janus.graph.Graph;
import dev.janus.graph.GraphCapture;
import dev.janus.graph.Value;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test of graph autodiff: for every differentiable row of {@link OpTable}, the gradients of the
 * scalar loss {@code sum(f(inputs) * w)} (w a fixed seeded random weight of f's output shape) with respect to
 * the row's floating inputs are computed eagerly (tape, {@code backward()}, {@code grad()}) and as a graph
 * ({@link GraphCapture#captureAll} then {@link Autodiff#gradients}, run by {@link Executor}); they must agree
 * within the tolerances below. Rows run in float64 where they allow it, else float32.
 *
 * <p>Rows left out, and why:
 * <ul>
 *   <li>rows whose output is bool or integer (comparisons, logical ops, isNan/isInf, integer casts,
 *       argmax/argmin): there is no floating output to differentiate;</li>
 *   <li>rows of the backward-only kernels CONV2D_WEIGHT_GRAD and MAX_POOL2D_GRAD: their VJPs are not defined
 *       (see {@link Autodiff}'s limits);</li>
 *   <li>rows with a zero-size input: the loss does not depend on any element, so there is nothing to
 *       compare;</li>
 *   <li>rows with no floating input in the chosen dtype: nothing to differentiate with respect to.</li>
 * </ul>
 * Composite rows that use a comparison internally only as a mask (crossEntropy's ignore-index, clamp's
 * maximum/minimum, logSumExp's isInf guard) stay in: the comparison has no gradient path, but the floating
 * inputs are still differentiable through the rest of the composite.
 */
class GradientEagerVsGraphTest {

    /** float64: {@code |graph - eager| <= F64_ATOL + F64_RTOL * |eager|}. */
    static final double F64_RTOL = 1e-9;
    static final double F64_ATOL = 1e-12;
    /** float32: {@code |graph - eager| <= F32_ATOL + F32_RTOL * |eager|}. */
    static final double F32_RTOL = 1e-5;
    static final double F32_ATOL = 1e-6;

    /** Seed of the loss weight w (mixed with the row's name so that rows get different weights). */
    static final long WEIGHT_SEED = 20240611L;

    /** Primitives under test whose rows are not differentiated (see the class comment). */
    static final Set<Op> EXCLUDED_OPS = EnumSet.of(Op.CONV2D_WEIGHT_GRAD, Op.MAX_POOL2D_GRAD, Op.ARGMAX, Op.ARGMIN,
            Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.STOP_GRADIENT);

    // ------------------------------------------------------------------ selection

    /** float64 where the row allows it, else float32, else null (row not run). */
    static DType gradType(OpRow row) {
        return row.dtypes().contains(FLOAT64) ? FLOAT64 : row.dtypes().contains(FLOAT32) ? FLOAT32 : null;
    }

    /** Whether the row is differentiated, in {@code dtype}; a null result means yes, otherwise why not. */
    static String exclusion(OpRow row, DType dtype) {
        if (dtype == null) {
            return "no floating dtype";
        }
        // a primitive row names exactly its op under test; composites name several key ops
        if (row.ops().size() == 1 && EXCLUDED_OPS.containsAll(row.ops())) {
            return "op under test is not differentiable: " + row.ops();
        }
        if (row.ops().contains(Op.CONV2D_WEIGHT_GRAD) || row.ops().contains(Op.MAX_POOL2D_GRAD)) {
            return "backward-only kernel has no VJP";
        }
        for (OpRow.Arg a : row.args()) {
            long n = 1;
            for (long d : a.shape()) {
                n *= d;
            }
            if (n == 0) {
                return "zero-size input";
            }
        }
        if (row.args().stream().noneMatch(a -> a.dtype(dtype).isFloating())) {
            return "no floating input";
        }
        Graph g = GraphCapture.capture(row.fn(), row.specs(dtype));
        TensorSpec out = g.outputs().get(0).spec();
        if (!out.dtype().isFloating()) {
            return "output is " + out.dtype();
        }
        return null;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (OpRow row : OpTable.table()) {
            DType t = gradType(row);
            if (exclusion(row, t) == null) {
                cases.add(Arguments.of(row, t));
            }
        }
        return cases.stream();
    }

    // ------------------------------------------------------------------ tests

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void autodiffGradients_matchEagerBackward(OpRow row, DType dtype) {
        Function<Tensor[], Tensor> f = row.fn();
        int n = row.args().size();

        // The loss weight: a fixed random tensor of f's output type, a constant of the captured graph.
        Tensor probe = f.apply(row.inputs(dtype));
        Tensor w = Tensor.randn(new Generator(WEIGHT_SEED + row.toString().hashCode()), probe.dtype(),
                probe.shape().dims());
        Function<Tensor[], Tensor> loss = in -> f.apply(in).mul(w).sum();

        boolean[] floating = new boolean[n];
        for (int i = 0; i < n; i++) {
            floating[i] = row.args().get(i).dtype(dtype).isFloating();
        }

        // Eager: the tape.
        Tensor[] eagerIn = row.inputs(dtype);
        for (int i = 0; i < n; i++) {
            if (floating[i]) {
                eagerIn[i] = eagerIn[i].requiresGrad(true);
            }
        }
        Tensor eagerLoss = loss.apply(eagerIn);
        eagerLoss.backward();

        // Graph: capture, extend with gradients, execute.
        Graph g = GraphCapture.captureAll(Map.of(), in -> List.of(loss.apply(in)), row.specs(dtype));
        List<Value> wrt = new ArrayList<>();
        List<Integer> wrtIndex = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (floating[i]) {
                wrt.add(g.inputs().get(i));
                wrtIndex.add(i);
            }
        }
        Graph withGrads = Autodiff.gradients(g, 0, wrt);
        Tensor[] out = new Executor(withGrads).run(row.inputs(dtype));
        Graph optimized = PassManager.forExecution().apply(withGrads);
        Tensor[] compiled = new CompiledGraph(optimized).run(row.inputs(dtype));
        assertEquals(1 + wrt.size(), out.length, () -> "outputs of\n" + withGrads);

        String what = row + " " + dtype;
        assertClose(what + ": loss", eagerLoss.detach(), out[0]);
        for (int k = 0; k < wrt.size(); k++) {
            int i = wrtIndex.get(k);
            Tensor eg = eagerIn[i].grad();
            if (eg == null) {
                // the tape never reached this input: its gradient is zero
                eg = Tensor.zerosLike(eagerIn[i].detach());
            }
            assertClose(what + ": d loss / d input " + i + "\n" + withGrads, eg, out[1 + k]);
            assertClose(what + ": d loss / d input " + i + ", optimized and compiled\n" + optimized, eg, compiled[1 + k]);
        }
    }

    @Test
    void selection_coversMostOfTheTable() {
        long covered = cases().count();
        assertTrue(covered >= 100, "only " + covered + " rows are differentiated");
    }

    // ------------------------------------------------------------------ comparison

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double rtol = expected.dtype() == FLOAT64 ? F64_RTOL : F32_RTOL;
        double atol = expected.dtype() == FLOAT64 ? F64_ATOL : F32_ATOL;
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok;
            if (Double.isNaN(e[i]) || Double.isInfinite(e[i])) {
                ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : a[i] == e[i];
            } else {
                ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            }
            if (!ok) {
                fail(what + ": element " + i + ": eager gives " + e[i] + " but the graph gives " + a[i]
                        + " (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }
}
