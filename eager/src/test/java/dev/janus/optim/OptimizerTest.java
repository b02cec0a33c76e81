package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every optimizer shares: zeroGrad, skipping, groups, and the state dict. */
class OptimizerTest {

    @Test
    void zeroGrad_clearsEveryGradient() {
        Tensor a = TestGrads.param(1, 2);
        Tensor b = TestGrads.param(3);
        TestGrads.set(a, 1, 1);
        TestGrads.set(b, 1);
        new SGD(List.of(a, b), 0.1).zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void step_paramWithoutGrad_isSkippedAndGetsNoState() {
        Tensor a = TestGrads.param(1, 2);
        Tensor b = TestGrads.param(3, 4);
        Adam opt = new Adam(List.of(a, b), 0.1);
        TestGrads.set(a, 1, -1);
        opt.step();
        assertArrayEquals(new double[] {3, 4}, b.toDoubleArray());
        assertEquals(Map.of(0, 1L), stepsOf(opt));
        // b's first update later is a first Adam step (bias-corrected): it moves by lr·sign(g).
        TestGrads.set(b, 2, -2);
        opt.step();
        assertArrayEquals(new double[] {2.9, 4.1}, b.toDoubleArray(), 1e-7);
        assertEquals(Map.of(0, 2L, 1, 1L), stepsOf(opt));
    }

    private static Map<Integer, Long> stepsOf(Optimizer opt) {
        Map<?, ?> state = (Map<?, ?>) opt.stateDict().get("state");
        Map<Integer, Long> out = new TreeMap<>();
        state.forEach((k, v) -> out.put((Integer) k, (Long) ((Map<?, ?>) v).get("step")));
        return out;
    }

    @Test
    void step_paramGroups_useTheirOwnLrAndWeightDecay() {
        Tensor a = TestGrads.param(1.0);
        Tensor b = TestGrads.param(1.0);
        SGD opt = new SGD(List.of(a), 0.1).weightDecay(0.5);
        opt.addParamGroup(ParamGroup.of(List.of(b)).lr(0.01).weightDecay(0));
        TestGrads.set(a, 1);
        TestGrads.set(b, 1);
        opt.step();
        assertEquals(1 - 0.1 * (1 + 0.5), a.item(), 1e-15);
        assertEquals(1 - 0.01, b.item(), 1e-15);
    }

    @Test
    void setLr_changesEveryGroup() {
        SGD opt = new SGD(List.of(TestGrads.param(1)), 0.1);
        opt.addParamGroup(ParamGroup.of(List.of(TestGrads.param(2))).lr(0.5));
        opt.setLr(0.3);
        assertEquals(0.3, opt.lr());
        assertEquals(0.3, opt.paramGroups().get(1).lr());
    }

    @Test
    void constructor_duplicateOrEmptyParams_throws() {
        Tensor a = TestGrads.param(1);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a, a), 0.1));
        SGD opt = new SGD(List.of(a), 0.1);
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(List.of(a))));
    }

    // ------------------------------------------------------------------ state dict

    /** Each optimizer configured, and a bare one of the same class that loading must turn into it. */
    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, 0.05).momentum(0.9).nesterov(true).weightDecay(0.01),
                        (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps, 1)),
                Arguments.of("Adam", (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, 0.05).betas(0.8, 0.9).amsgrad(true).weightDecay(0.01),
                        (Function<List<Tensor>, Optimizer>) Adam::new),
                Arguments.of("AdamW", (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps, 0.05).weightDecay(0.1),
                        (Function<List<Tensor>, Optimizer>) AdamW::new),
                Arguments.of("RMSprop", (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps, 0.01).centered(true).momentum(0.9).alpha(0.9),
                        (Function<List<Tensor>, Optimizer>) RMSprop::new));
    }

    private static List<Tensor> freshParams() {
        Generator g = new Generator(7);
        return List.of(Tensor.randn(g, DType.FLOAT32, 2, 3).requiresGrad(true), Tensor.randn(g, DType.FLOAT32, 4).requiresGrad(true));
    }

    /** One training step on a loss whose gradient depends on the parameters: sum((p − 0.5)² · w). */
    private static void trainStep(Optimizer opt) {
        opt.zeroGrad();
        Tensor loss = Tensor.scalar(0, DType.FLOAT32);
        for (Tensor p : opt.params()) {
            Tensor w = Tensor.arange(1, p.numel() + 1, 1, DType.FLOAT32).reshape(p.shape().dims());
            loss = loss.add(p.sub(0.5).pow(2).mul(w).sum());
        }
        loss.backward();
        opt.step();
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : ps) {
            out.add(Tensor.zerosLike(p).assign(p).requiresGrad(true));
        }
        return out;
    }

    /** All parameter values, concatenated. */
    private static float[] flat(List<Tensor> ps) {
        return Tensor.cat(0, ps.stream().map(p -> p.reshape(-1)).toList()).toFloatArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void loadStateDict_intoFreshOptimizer_resumesIdentically(String name, Function<List<Tensor>, Optimizer> configured,
            Function<List<Tensor>, Optimizer> bare) {
        List<Tensor> ps = freshParams();
        Optimizer opt = configured.apply(ps);
        for (int i = 0; i < 3; i++) {
            trainStep(opt);
        }
        Map<String, Object> saved = opt.stateDict();
        List<Tensor> savedParams = copies(ps);
        for (int i = 0; i < 2; i++) {
            trainStep(opt);
        }

        List<Tensor> ps2 = copies(savedParams);
        Optimizer resumed = bare.apply(ps2);
        resumed.loadStateDict(saved);
        for (int i = 0; i < 2; i++) {
            trainStep(resumed);
        }
        assertArrayEquals(flat(ps), flat(ps2));
        assertEquals(opt.toString(), resumed.toString());

        List<Tensor> ps3 = copies(savedParams);
        Optimizer notResumed = configured.apply(ps3);
        for (int i = 0; i < 2; i++) {
            trainStep(notResumed);
        }
        assertFalse(Arrays.equals(flat(ps), flat(ps3)), "the state dict must matter for this check to mean anything");
    }

    @Test
    void stateDict_laterSteps_leaveSnapshotUnchanged() {
        List<Tensor> ps = freshParams();
        Optimizer opt = new SGD(ps, 0.1).momentum(0.9);
        trainStep(opt);
        Map<String, Object> saved = opt.stateDict();
        Tensor buf = (Tensor) ((Map<?, ?>) ((Map<?, ?>) saved.get("state")).get(0)).get("momentum_buffer");
        float[] before = buf.toFloatArray();
        trainStep(opt);
        assertArrayEquals(before, buf.toFloatArray());
    }

    @Test
    void stateDict_layout_isDocumentedOne() {
        List<Tensor> ps = freshParams();
        Optimizer opt = new Adam(ps, 0.1);
        trainStep(opt);
        Map<String, Object> d = opt.stateDict();
        assertEquals("Adam", d.get("type"));
        assertEquals(List.of(0, 1), ((Map<?, ?>) ((List<?>) d.get("param_groups")).get(0)).get("params"));
        Map<?, ?> s0 = (Map<?, ?>) ((Map<?, ?>) d.get("state")).get(0);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), new ArrayList<>(s0.keySet()));
        assertTrue(((Map<?, ?>) d.get("options")).containsKey("beta1"));
    }

    @Test
    void loadStateDict_wrongTypeOrShapes_throwsNamingEveryProblem() {
        Optimizer sgd = new SGD(freshParams(), 0.1).momentum(0.9);
        trainStep(sgd);
        Map<String, Object> saved = sgd.stateDict();
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                () -> new Adam(freshParams()).loadStateDict(saved));
        assertTrue(wrongType.getMessage().contains("'SGD'"), wrongType.getMessage());

        Tensor other = Tensor.zeros(3, 2).requiresGrad(true);
        SGD misfit = new SGD(List.of(other, Tensor.zeros(5).requiresGrad(true)), 0.1);
        float[] before = other.toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> misfit.loadStateDict(saved));
        assertTrue(e.getMessage().contains("parameter 0") && e.getMessage().contains("parameter 1"), e.getMessage());
        assertEquals(0, ((Map<?, ?>) misfit.stateDict().get("state")).size());
        assertArrayEquals(before, other.toFloatArray());
    }

    @Test
    void loadStateDict_differentGrouping_throws() {
        List<Tensor> ps = freshParams();
        Optimizer opt = new SGD(ps, 0.1);
        Map<String, Object> saved = opt.stateDict();
        SGD twoGroups = new SGD(List.of(TestGrads.param(1)), 0.1);
        twoGroups.addParamGroup(ParamGroup.of(List.of(TestGrads.param(2))));
        assertThrows(IllegalArgumentException.class, () -> twoGroups.loadStateDict(saved));
    }
}
