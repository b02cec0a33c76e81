package dev.janus.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.janus.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Each scheduler's rate sequence against PyTorch's closed form, written out here. */
class LRSchedulerTest {
    static final double BASE = 0.1;
    static final int STEPS = 12;

    private static SGD sgd() {
        return new SGD(List.of(TestGrads.param(1, 2)), BASE);
    }

    /** lastLr() after construction and after each of {@code STEPS} steps. */
    private static double[] rates(LRScheduler s) {
        double[] out = new double[STEPS + 1];
        out[0] = s.lastLr();
        for (int i = 1; i <= STEPS; i++) {
            s.step();
            out[i] = s.lastLr();
        }
        return out;
    }

    private static double[] expected(LongToDoubleFunction f) {
        double[] out = new double[STEPS + 1];
        for (int e = 0; e <= STEPS; e++) {
            out[e] = f.applyAsDouble(e);
        }
        return out;
    }

    @Test
    void stepLR_sequence_matchesClosedForm() {
        double[] want = expected(e -> BASE * Math.pow(0.5, e / 3));
        assertArrayEquals(want, rates(new StepLR(sgd(), 3, 0.5)), 1e-15);
    }

    @Test
    void multiStepLR_sequence_matchesClosedForm() {
        double[] want = expected(e -> BASE * (e < 2 ? 1 : e < 5 ? 0.1 : e < 9 ? 0.01 : 0.001));
        assertArrayEquals(want, rates(new MultiStepLR(sgd(), new long[] {9, 2, 5})), 1e-15);
    }

    @Test
    void multiStepLR_repeatedMilestone_countsTwice() {
        double[] want = expected(e -> BASE * (e < 4 ? 1 : 0.25));
        assertArrayEquals(want, rates(new MultiStepLR(sgd(), new long[] {4, 4}, 0.5)), 1e-15);
    }

    @Test
    void exponentialLR_sequence_matchesClosedForm() {
        double[] want = expected(e -> BASE * Math.pow(0.9, e));
        assertArrayEquals(want, rates(new ExponentialLR(sgd(), 0.9)), 1e-15);
    }

    @Test
    void cosineAnnealingLR_sequencePastTMax_matchesClosedForm() {
        double etaMin = 0.001;
        double[] want = expected(e -> etaMin + (BASE - etaMin) * (1 + Math.cos(Math.PI * e / 8)) / 2);
        double[] got = rates(new CosineAnnealingLR(sgd(), 8, etaMin));
        assertArrayEquals(want, got, 1e-15);
        assertEquals(etaMin, got[8], 1e-15);
    }

    @Test
    void linearLRWarmup_rampsThenHolds() {
        double[] want = expected(e -> BASE * (e >= 4 ? 1 : 0.25 + 0.75 * e / 4.0));
        assertArrayEquals(want, rates(LinearLR.warmup(sgd(), 0.25, 4)), 1e-15);
    }

    @Test
    void linearLR_defaultsDecayTowardEndFactor() {
        double[] defaults = expected(e -> BASE * (1.0 / 3 + (1 - 1.0 / 3) * Math.min(e, 5) / 5));
        assertArrayEquals(defaults, rates(new LinearLR(sgd())), 1e-15);
        double[] decay = expected(e -> BASE * (1 - 0.9 * Math.min(e, 10) / 10));
        assertArrayEquals(decay, rates(new LinearLR(sgd(), 1.0, 0.1, 10)), 1e-15);
    }

    @Test
    void stepLR_paramGroups_eachScaledFromItsOwnBase() {
        SGD opt = sgd();
        opt.addParamGroup(ParamGroup.of(List.of(TestGrads.param(3))).lr(1.0));
        StepLR s = new StepLR(opt, 2, 0.1);
        s.step();
        s.step();
        assertArrayEquals(new double[] {BASE * 0.1, 0.1}, s.lastLrs(), 1e-15);
    }

    // ------------------------------------------------------------------ OneCycleLR

    private static double cos(double from, double to, double pct) {
        return to + (from - to) / 2 * (1 + Math.cos(Math.PI * pct));
    }

    @Test
    void oneCycleLR_defaults_matchPhasesAndCycleMomentum() {
        SGD opt = sgd();
        int total = STEPS;
        OneCycleLR s = new OneCycleLR(opt, 1.0, total);
        double initial = 1.0 / 25;
        double last = initial / 1e4;
        double up = 0.3 * total - 1;          // PyTorch's end_step of phase 1: 2.6
        double end = total - 1;
        double[] wantLr = expected(e -> e <= up ? cos(initial, 1.0, e / up) : cos(1.0, last, (e - up) / (end - up)));
        double[] wantM = expected(e -> e <= up ? cos(0.95, 0.85, e / up) : cos(0.85, 0.95, (e - up) / (end - up)));
        double[] gotLr = new double[STEPS + 1];
        double[] gotM = new double[STEPS + 1];
        for (int i = 0; i <= STEPS; i++) {
            if (i > 0) {
                s.step();
            }
            gotLr[i] = s.lastLr();
            gotM[i] = opt.momentum();
        }
        assertArrayEquals(wantLr, gotLr, 1e-15);
        assertArrayEquals(wantM, gotM, 1e-15);
        assertEquals(last, gotLr[total - 1], 1e-18);
        assertThrows(IllegalStateException.class, s::step);
    }

    @Test
    void oneCycleLR_threePhaseLinear_matchesPhases() {
        int total = 10;
        OneCycleLR s = new OneCycleLR(sgd(), 0.5, total).pctStart(0.25).divFactor(10).finalDivFactor(100)
                .annealStrategy("linear").threePhase(true);
        double initial = 0.05;
        double last = initial / 100;
        double e1 = 0.25 * total - 1;         // 1.5
        double e2 = 2 * 0.25 * total - 2;     // 3.0
        double e3 = total - 1;
        LongToDoubleFunction f = e -> e <= e1 ? initial + (0.5 - initial) * e / e1
                : e <= e2 ? 0.5 + (initial - 0.5) * (e - e1) / (e2 - e1)
                : initial + (last - initial) * (e - e2) / (e3 - e2);
        double[] got = new double[total + 1];
        got[0] = s.lastLr();
        for (int i = 1; i <= total; i++) {
            s.step();
            got[i] = s.lastLr();
        }
        double[] want = new double[total + 1];
        for (int e = 0; e <= total; e++) {
            want[e] = f.applyAsDouble(e);
        }
        assertArrayEquals(want, got, 1e-15);
    }

    @Test
    void oneCycleLR_adam_cyclesBeta1AndRestoresWhenOff() {
        Adam adam = new Adam(List.of(TestGrads.param(1)), 0.1).betas(0.7, 0.999);
        OneCycleLR s = new OneCycleLR(adam, 0.01, 10);
        assertEquals(0.95, adam.momentum());
        s.step();
        assertEquals(cos(0.95, 0.85, 1 / 2.0), adam.momentum(), 1e-15);
        s.cycleMomentum(false);
        assertEquals(0.7, adam.momentum());
    }

    // ------------------------------------------------------------------ state

    @Test
    void loadStateDict_freshSchedulerOnResumedOptimizer_continuesSequence() {
        SGD opt = sgd();
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 10, 0.001);
        for (int i = 0; i < 4; i++) {
            s.step();
        }
        Map<String, Object> optState = opt.stateDict();
        Map<String, Object> schedState = s.stateDict();
        s.step();
        double next = s.lastLr();

        SGD opt2 = new SGD(List.of(TestGrads.param(1, 2)), 123);
        opt2.loadStateDict(optState);
        CosineAnnealingLR s2 = new CosineAnnealingLR(opt2, 10, 0.001);   // captures the decayed lr as base...
        s2.loadStateDict(schedState);                                     // ...until the saved base is restored
        assertEquals(4, s2.lastEpoch());
        s2.step();
        assertEquals(next, s2.lastLr(), 0);
    }

    @Test
    void loadStateDict_otherSchedulerType_throws() {
        Map<String, Object> state = new StepLR(sgd(), 2).stateDict();
        assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(sgd(), 0.9).loadStateDict(state));
    }

    @Test
    void constructor_invalidArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(), 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd(), 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd(), 0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(), 0.1, 10).pctStart(1.5));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(), 0.1, 10).annealStrategy("step"));
    }

    @Test
    void scheduler_drivesOptimizerUpdate() {
        Tensor p = TestGrads.param(1.0);
        SGD opt = new SGD(List.of(p), 1.0);
        StepLR s = new StepLR(opt, 1, 0.5);
        TestGrads.set(p, 1);
        opt.step();                 // lr 1
        s.step();
        opt.step();                 // lr 0.5
        assertEquals(1 - 1 - 0.5, p.item(), 1e-15);
    }
}
