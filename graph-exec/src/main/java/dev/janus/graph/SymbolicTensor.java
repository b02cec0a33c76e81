package dev.janus.graph;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.Attrs;
import dev.janus.ops.Dispatch;
import dev.janus.ops.Op;
import dev.janus.spi.Engine;

/**
 * A tensor being recorded: it has a type but no values. Every op on it appends a node to its capture's
 * graph, so the same {@code Tensor} code that runs eagerly builds a graph here.
 */
public final class SymbolicTensor extends Tensor {
    private final Value value;
    private final GraphBuilder builder;

    SymbolicTensor(Value value, GraphBuilder builder) {
        this.value = value;
        this.builder = builder;
    }

    /** The graph value this tensor stands for. */
    public Value value() {
        return value;
    }

    GraphBuilder builder() {
        return builder;
    }

    @Override
    public DType dtype() {
        return value.spec().dtype();
    }

    @Override
    public Shape shape() {
        return value.spec().shape();
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Engine engine() {
        return builder;
    }

    private UnsupportedOperationException noValues(String what) {
        return new UnsupportedOperationException(what + " needs values, but " + value.ref() + " is a symbolic tensor being "
                + "recorded into a graph; run the graph (Executor.run) to get values");
    }

    @Override
    protected Object hostArray() {
        throw noValues("reading tensor data");
    }

    @Override
    public Tensor requiresGrad(boolean requiresGrad) {
        throw new UnsupportedOperationException("requiresGrad on a symbolic tensor: mark graph inputs for gradients "
                + "with graph autodiff instead");
    }

    @Override
    public boolean requiresGrad() {
        return false;
    }

    @Override
    public Tensor grad() {
        return null;
    }

    @Override
    public void zeroGrad() {
        // a symbolic tensor carries no gradient
    }

    @Override
    public void setGrad(Tensor gradient) {
        throw new UnsupportedOperationException("a symbolic tensor has no gradient slot");
    }

    /** Records the backward pass: the parameters' gradients become recorded values (see {@link TrainingStep}). */
    @Override
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (gradient != null) {
            throw new UnsupportedOperationException("backward(gradient) inside a graph capture: only scalar losses");
        }
        builder.recordBackward(this);
    }

    /** Records a stop-gradient node, so graph autodiff treats the value as a constant, as eager does. */
    @Override
    public Tensor detach() {
        return Dispatch.apply(Op.STOP_GRADIENT, Attrs.NONE, this);
    }

    @Override
    public Tensor assign(Tensor src) {
        throw new UnsupportedOperationException("in-place assign inside a graph capture is not supported yet");
    }

    @Override
    public Tensor to(Device device) {
        return this;
    }

    @Override
    public String toString() {
        return "SymbolicTensor(" + value + ")";
    }
}
