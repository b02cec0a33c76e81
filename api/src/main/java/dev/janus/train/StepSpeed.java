package dev.janus.train;

import java.util.Locale;

/**
 * Eager against compiled training-step time, measured on one batch by {@link Trainer#measureStepSpeed}.
 *
 * @param steps          steps timed in each mode (after warm-up)
 * @param batch          the batch's input and target types, e.g. {@code f32[64, 784] -> i64[64]}
 * @param eagerMillis    mean milliseconds of an eager step
 * @param compiledMillis mean milliseconds of a compiled step, NaN when none could be made
 * @param compileMillis  how long compiling the step took, NaN when none was made
 * @param compiler       the {@link StepCompiler}'s name, or null
 * @param note           why there is no compiled figure (no compiler on the class path, a trace error), or null
 */
public record StepSpeed(int steps, String batch, double eagerMillis, double compiledMillis, double compileMillis,
        String compiler, String note) {
    /** True when both modes were timed. */
    public boolean hasCompiled() {
        return !Double.isNaN(compiledMillis);
    }

    /** How many times faster the compiled step is (eager time / compiled time); NaN without a compiled figure. */
    public double speedup() {
        return eagerMillis / compiledMillis;
    }

    @Override
    public String toString() {
        return hasCompiled()
                ? String.format(Locale.ROOT, "eager %.3f ms/step, %s %.3f ms/step (%.2fx) on %s", eagerMillis, compiler,
                        compiledMillis, speedup(), batch)
                : String.format(Locale.ROOT, "eager %.3f ms/step on %s; %s", eagerMillis, batch, note);
    }
}
