package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.ElementwiseProgram;
import dev.janus.spi.FusedKernel;

/**
 * The backend SPI over a {@link CudaExecutor}: what {@link CudaBackend} offers on a real GPU, and what tests offer
 * over a fake device, differing only in where the executor comes from.
 */
abstract class ExecutorBackend implements Backend {
    /** The executor every call goes to; fails with the reason when there is none. */
    abstract CudaExecutor executor();

    @Override
    public Buffer fromHost(Object array, DType dtype, Device device) {
        if (device.index() != 0) {
            throw new IllegalArgumentException("the CUDA backend runs on " + device.kind() + ":0 only so far, not on "
                    + device.kind() + ":" + device.index());
        }
        return executor().memory().fromHost(array, dtype);
    }

    @Override
    public Object toHost(Buffer buffer) {
        return executor().memory().toHost((CudaBuffer) buffer);
    }

    @Override
    public void copy(Buffer src, Buffer dst) {
        executor().memory().copy((CudaBuffer) src, (CudaBuffer) dst);
    }

    @Override
    public Buffer allocate(DType dtype, long numel) {
        return executor().memory().allocateZeroed(dtype, numel);
    }

    @Override
    public Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
        return executor().execute(op, attrs, inputs, inputSpecs, outputSpec);
    }

    @Override
    public void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec,
            Buffer out) {
        executor().executeInto(op, attrs, inputs, inputSpecs, outputSpec, (CudaBuffer) out);
    }

    @Override
    public FusedKernel compileElementwise(ElementwiseProgram program) {
        return executor().compile(program);
    }

    @Override
    public boolean hasNonFinite(Buffer buffer) {
        return executor().hasNonFinite((CudaBuffer) buffer);
    }
}
