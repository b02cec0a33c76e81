package dev.janus.eager;

import dev.janus.AnomalyException;
import dev.janus.Janus;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import dev.janus.spi.Engine;
import java.util.Arrays;

/** Runs each op now: shape rules, then the kernel of the inputs' backend, then (maybe) a tape record. */
final class EagerEngine implements Engine {
    static final EagerEngine INSTANCE = new EagerEngine();

    private EagerEngine() {}

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Tensor apply(Op op, Attrs attrs, Tensor... inputs) {
        int n = inputs.length;
        TensorSpec[] specs = new TensorSpec[n];
        Buffer[] buffers = new Buffer[n];
        EagerTensor first = (EagerTensor) inputs[0];
        for (int i = 1; i < n; i++) {
            if (((EagerTensor) inputs[i]).device != first.device) { // NOTE: equal devices are usually one object
                first = (EagerTensor) inputs[deviceSetter(inputs)];
                break;
            }
        }
        boolean needsGrad = false;
        for (int i = 0; i < n; i++) {
            EagerTensor t = (EagerTensor) inputs[i];
            if (t.isClosed()) {
                t.requireOpen("op '" + op.opName() + "', input " + i);
            }
            if (t.device != first.device && !t.device.equals(first.device)) {
                if (!isCpuScalar(t)) {
                    throw new IllegalArgumentException("op '" + op.opName() + "': inputs are on different devices ("
                            + first.device + " and " + t.device + "); move them with tensor.to(device)");
                }
                t = (EagerTensor) t.to(first.device);
            }
            specs[i] = t.spec;
            buffers[i] = t.buffer;
            needsGrad |= t.requiresGrad();
        }
        TensorSpec out = ShapeRules.infer(op, attrs, specs);
        Buffer result = first.backend.execute(op, attrs, buffers, specs, out);
        EagerTensor r = new EagerTensor(result, out, first.backend, first.device);
        if (needsGrad && out.dtype().isFloating() && !op.isComparison() && Janus.isGradEnabled()) {
            r.gradFn = new GradNode(op, attrs, inputs.clone());
        }
        if (Janus.isAnomalyEnabled() && out.dtype().isFloating() && first.backend.hasNonFinite(result)) {
            checkAnomaly(op, inputs, specs);
        }
        return r;
    }

    /** A 0-d CPU tensor may join an op on any device (copied there), like PyTorch's CPU scalars. */
    private static boolean isCpuScalar(EagerTensor t) {
        return t.spec.shape().rank() == 0 && t.device.equals(dev.janus.Device.CPU);
    }

    /** The input whose device the op runs on: the first that is not a CPU scalar, else the first. */
    private static int deviceSetter(Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (!isCpuScalar((EagerTensor) inputs[i])) {
                return i;
            }
        }
        return 0;
    }

    /** Blames the op only when its inputs were finite: the first op that produced the NaN/Inf. */
    private static void checkAnomaly(Op op, Tensor[] inputs, TensorSpec[] specs) {
        for (Tensor t : inputs) {
            EagerTensor e = (EagerTensor) t;
            if (e.dtype().isFloating() && e.backend.hasNonFinite(e.buffer)) {
                return;
            }
        }
        throw new AnomalyException("anomaly: op '" + op.opName() + "' produced NaN or Inf from finite inputs "
                + Arrays.toString(specs));
    }
}
