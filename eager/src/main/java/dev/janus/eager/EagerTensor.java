package dev.janus.eager;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Janus;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.TensorScope;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.Engine;

/**
 * A tensor whose values exist now, in a backend buffer. Ops on it run immediately; when an input requires a
 * gradient, the op is also recorded as a {@link GradNode} for {@link #backward}.
 */
public final class EagerTensor extends Tensor {
    // NOTE: not final only so that moveTo can rehome a parameter in place (module.to(device))
    Buffer buffer;
    final TensorSpec spec;
    Backend backend;
    Device device;
    private boolean requiresGrad;
    private Tensor grad;
    GradNode gradFn;
    private boolean closed;

    EagerTensor(Buffer buffer, TensorSpec spec, Backend backend, Device device) {
        this.buffer = buffer;
        this.spec = spec;
        this.backend = backend;
        this.device = device;
        buffer.retain();
        TensorScope.track(this);
    }

    @Override
    public DType dtype() {
        return spec.dtype();
    }

    @Override
    public Shape shape() {
        return spec.shape();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Engine engine() {
        return EagerEngine.INSTANCE;
    }

    /** The backend buffer (for backends and tools built on the eager engine). */
    public Buffer buffer() {
        requireOpen("reading its buffer");
        return buffer;
    }

    /** Fails naming {@code what} was attempted when this tensor has been closed. */
    void requireOpen(String what) {
        if (closed) {
            throw new IllegalStateException(what + ": the tensor " + spec + " on " + device
                    + " was closed (tensor.close() or its TensorScope), so its memory is gone; keep it with scope.keep(t)");
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer.release();
        }
    }

    /** The backend that owns {@link #buffer()}. */
    public Backend backend() {
        return backend;
    }

    /**
     * A tensor over an existing buffer (no copy): for executors that run kernels themselves, such as the
     * graph executor's planned path. The buffer must hold {@code spec.shape().numel()} elements of its dtype.
     */
    public static EagerTensor wrap(Buffer buffer, TensorSpec spec, Backend backend, Device device) {
        if (buffer.dtype() != spec.dtype() || buffer.numel() != spec.shape().numel()) {
            throw new IllegalArgumentException("buffer of " + buffer.numel() + " " + buffer.dtype() + " elements cannot hold "
                    + spec);
        }
        return new EagerTensor(buffer, spec, backend, device);
    }

    @Override
    protected Object hostArray() {
        requireOpen("copying to the host");
        return backend.toHost(buffer);
    }

    @Override
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad can only be set on leaf tensors; this one was computed by '"
                    + gradFn.op.opName() + "' (use detach() first)");
        }
        if (value && !dtype().isFloating()) {
            throw new IllegalArgumentException("only floating tensors can require gradients, got " + spec);
        }
        requiresGrad = value;
        return this;
    }

    @Override
    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    /** True for tensors not computed by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    @Override
    public Tensor grad() {
        return grad;
    }

    @Override
    public void setGrad(Tensor g) {
        grad = g;
    }

    @Override
    public void zeroGrad() {
        grad = null;
    }

    @Override
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    @Override
    public Tensor detach() {
        return new EagerTensor(buffer, spec, backend, device);
    }

    @Override
    public Tensor assign(Tensor src) {
        Engine recording = dev.janus.ops.Dispatch.recording();
        if (recording != null || src.engine().priority() > engine().priority()) {
            // inside a graph capture the write is recorded, and happens when the graph runs
            (recording != null ? recording : src.engine()).recordAssign(this, src);
            return this;
        }
        Tensor s;
        try (var g = Janus.noGrad()) {
            s = src.cast(dtype()).expand(shape().dims()).to(device);
        }
        if (!s.shape().equals(shape())) {
            throw new IllegalArgumentException("assign: source " + src.shape() + " does not fit " + shape());
        }
        requireOpen("assign");
        ((EagerTensor) s).requireOpen("assign (the source)");
        backend.copy(((EagerTensor) s).buffer, buffer);
        return this;
    }

    @Override
    public Tensor to(Device target) {
        if (target.equals(device)) {
            return this;
        }
        return EagerFactory.INSTANCE.fromHost(hostArray(), dtype(), shape(), target);
    }

    @Override
    public void moveTo(Device target) {
        if (target.equals(device)) {
            return;
        }
        EagerTensor moved = (EagerTensor) to(target);
        Tensor g = grad;
        moved.closed = true; // this tensor takes over moved's reference; no scope may release it again
        buffer.release();
        buffer = moved.buffer;
        backend = moved.backend;
        device = target;
        if (g != null) {
            grad = g.to(target);
        }
    }
}
