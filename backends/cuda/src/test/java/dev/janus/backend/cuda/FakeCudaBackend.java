package dev.janus.backend.cuda;

import dev.janus.Device;

/**
 * The CUDA backend's executor over a {@link FakeDevice}, as a backend of its own device kind {@value #KIND}, so the
 * eager engine (tensors, modules, autograd) runs whole models through the GPU dispatch logic in tests. Found by
 * {@link java.util.ServiceLoader} from the test resources; a test installs the executor it wants with {@link #use}.
 */
public final class FakeCudaBackend extends ExecutorBackend {
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

    @Override
    CudaExecutor executor() {
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
}
