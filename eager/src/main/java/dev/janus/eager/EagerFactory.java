package dev.janus.eager;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.TensorFactory;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The eager engine's entry point: creates tensors on a device's backend and runs gradients. Found by the
 * api module through {@link ServiceLoader}. The default device is {@code JANUS_DEVICE} ({@code cpu},
 * {@code cuda}, {@code cuda:N}) or the CPU.
 */
public final class EagerFactory implements TensorFactory {
    static final EagerFactory INSTANCE = new EagerFactory();
    private static final Map<String, Backend> BACKENDS = new ConcurrentHashMap<>();
    private final Device defaultDevice;

    /** Used by {@link ServiceLoader}; every instance shares the same backends. */
    public EagerFactory() {
        String env = System.getenv("JANUS_DEVICE");
        defaultDevice = env == null || env.isBlank() || env.equalsIgnoreCase("auto") ? Device.CPU : Device.parse(env);
    }

    @Override
    public Device defaultDevice() {
        return defaultDevice;
    }

    /** The backend serving {@code device}, or an error naming the artifact to add. */
    static Backend backend(Device device) {
        return BACKENDS.computeIfAbsent(device.kind(), kind -> {
            for (Backend b : ServiceLoader.load(Backend.class)) {
                if (b.deviceKind().equals(kind) && b.isAvailable()) {
                    return b;
                }
            }
            throw new IllegalStateException("no usable Janus backend for device '" + device + "': add dev.janus:janus-backend-"
                    + kind + " to the class path" + (kind.equals("cuda") ? " and make sure a GPU and CUDA libraries are present" : ""));
        });
    }

    @Override
    public Tensor fromHost(Object array, DType dtype, Shape shape, Device device) {
        Backend b = backend(device);
        return new EagerTensor(b.fromHost(array, dtype, device), new TensorSpec(dtype, shape), b, device);
    }

    @Override
    public Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph, boolean createGraph) {
        return Autograd.grad(outputs, gradOutputs, inputs, retainGraph, createGraph);
    }
}
