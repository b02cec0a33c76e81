package dev.janus.backend.cuda;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;
import dev.janus.spi.FusedKernel;
import dev.janus.spi.ElementwiseProgram;

/**
 * The CUDA backend's executor over a {@link FakeDevice}, as a backend of its own device kind {@value #KIND}, so the
 * eager engine (tensors, modules, autograd) runs whole models through the GPU dispatch logic in tests. Found by
 * {@link java.util.ServiceLoader} from the test resources; a test installs the executor it wants with {@link #use}.
 */
public final class FakeCudaBackend implements Backend {
    /** The device kind of tensors on the fake GPU. */
    public static final String KIND = "fakecuda";
    /** The fake GPU as a device. */
    public static final Device DEVICE = new Device(KIND, 0);

    private static volatile CudaExecutor executor;

    /** Used by {@link java.util.ServiceLoader}. */
    public FakeCudaBackend() {}

    /** Routes every later fake-GPU tensor op to {@code e}. */
    static void use(CudaExecutor e) {
        executor = e;
    }

    private static CudaExecutor executor() {
        CudaExecutor e = executor;
        if (e == null) {
            throw new IllegalStateException("no fake device installed: call FakeCudaBackend.use first");
        }
        return e;
    }

    @Override
    public String deviceKind() {
        return KIND;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Buffer fromHost(Object array, DType dtype, Device device) {
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
