package dev.janus.trace;

import dev.janus.Tensor;
import dev.janus.data.Example;
import dev.janus.nn.Module;
import dev.janus.optim.Optimizer;
import dev.janus.optim.ParamGroup;
import dev.janus.train.TrainStep;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer's step traced once for the batch shape it was given, then run as a graph. A batch of another dtype or
 * shape (the smaller last batch of an epoch) runs eagerly, logged once per shape; a changed learning rate (the
 * graph holds it as a constant) traces the step again.
 */
final class TracedTrainStep implements TrainStep {
    private static final Logger LOG = LoggerFactory.getLogger(TracedTrainStep.class);

    private final Program program;
    private final TrainStep eager;
    private final String inputType;
    private final String targetType;
    private final Set<String> reported = new HashSet<>();
    private TracedFunction<Tensor[]> traced;
    private List<Double> lrs;

    /**
     * The step as the tracer reads it: this class is not in a Janus library package, so the tracer interprets
     * {@link #step} (and the user's model code it calls) instead of running it.
     */
    static final class Program {
        final Module model;
        final Optimizer optimizer;
        final BiFunction<Tensor, Tensor, Tensor> loss;

        Program(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss) {
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
        }

        Tensor[] step(Tensor x, Tensor y) {
            optimizer.zeroGrad();
            Tensor output = model.forward(x);
            Tensor l = loss.apply(output, y);
            l.backward();
            optimizer.step();
            return new Tensor[] {l, output};
        }
    }

    TracedTrainStep(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> loss, Example example) {
        this.program = new Program(model, optimizer, loss);
        this.eager = TrainStep.eager(model, optimizer, loss);
        this.inputType = type(example.input());
        this.targetType = type(example.target());
        trace(example);
    }

    private void trace(Example example) {
        long start = System.nanoTime();
        traced = Tracer.trace(Program::step, program, example.input(), example.target());
        lrs = lrs();
        LOG.info("traced the training step for input {} and target {} in {} ms ({} nodes)", inputType, targetType,
                (System.nanoTime() - start) / 1_000_000, traced.graph().nodes().size());
    }

    @Override
    public Result run(Example batch) {
        String why = mismatch(batch);
        if (why != null) {
            if (reported.add(why)) {
                LOG.info("running the training step eagerly for a batch the traced step does not take: {}", why);
            }
            return eager.run(batch);
        }
        if (!lrs.equals(lrs())) {
            LOG.info("the learning rate changed from {} to {}; tracing the training step again (the graph holds it as "
                    + "a constant)", lrs, lrs());
            trace(batch);
        }
        Tensor[] r = traced.call(batch.input(), batch.target());
        return new Result(r[0], r[1]);
    }

    /** The traced graph (for pictures and tests). */
    TracedFunction<Tensor[]> traced() {
        return traced;
    }

    private String mismatch(Example batch) {
        String in = type(batch.input());
        String target = type(batch.target());
        if (!in.equals(inputType)) {
            return "input " + in + ", traced for " + inputType;
        }
        return target.equals(targetType) ? null : "target " + target + ", traced for " + targetType;
    }

    private List<Double> lrs() {
        return program.optimizer.paramGroups().stream().map(ParamGroup::lr).toList();
    }

    private static String type(Tensor t) {
        return t.dtype().shortName() + t.shape();
    }
}
