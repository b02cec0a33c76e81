package dev.janus.eager;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.TensorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eager engine's entry point: creates tensors on a device's backend and runs gradients. Found by the
 * api module through {@link ServiceLoader}. The default device is {@code JANUS_DEVICE} ({@code cpu},
 * {@code cuda}, {@code cuda:N}, {@code auto}) or, when unset, the CPU; see {@link DeviceSelection}.
 */
public final class EagerFactory implements TensorFactory {
    static final EagerFactory INSTANCE = new EagerFactory();
    private static final Map<String, Backend> BACKENDS = new ConcurrentHashMap<>();
    private static final Logger log = LoggerFactory.getLogger(EagerFactory.class);
    private static volatile Device autoDevice;
    private volatile Device defaultDevice;

    /** Used by {@link ServiceLoader}; every instance shares the same backends. */
    public EagerFactory() {}

    // NOTE: resolved on first use, not in the constructor, so that a bad JANUS_DEVICE surfaces as its own
    // message rather than as a ServiceConfigurationError from the loader.
    @Override
    public Device defaultDevice() {
        Device d = defaultDevice;
        if (d == null) {
            String env = System.getenv(DeviceSelection.VARIABLE);
            d = env != null && env.trim().equalsIgnoreCase("auto") ? autoDevice()
                    : DeviceSelection.fromSetting(env, allBackends());
            defaultDevice = d;
        }
        return d;
    }

    @Override
    public Device autoDevice() {
        Device d = autoDevice;
        if (d == null) {
            synchronized (EagerFactory.class) {
                d = autoDevice;
                if (d == null) {
                    DeviceSelection.Choice c = DeviceSelection.auto(allBackends());
                    log.info("Janus device: {} ({})", c.device(), c.reason());
                    d = c.device();
                    autoDevice = d;
                }
            }
        }
        return d;
    }

    private static List<Backend> allBackends() {
        List<Backend> all = new ArrayList<>();
        ServiceLoader.load(Backend.class).forEach(all::add);
        return all;
    }

    /** The backend serving {@code device}, or an error naming the artifact to add. */
    static Backend backend(Device device) {
        return BACKENDS.computeIfAbsent(device.kind(), kind -> {
            String reason = null;
            for (Backend b : ServiceLoader.load(Backend.class)) {
                if (b.deviceKind().equals(kind)) {
                    if (b.isAvailable()) {
                        return b;
                    }
                    reason = b.unavailableReason();
                }
            }
            throw new IllegalStateException("no usable Janus backend for device '" + device + "': " + (reason != null
                    ? "the " + kind + " backend is on the class path but unavailable: " + reason
                    : "add dev.janus:janus-backend-" + kind + " to the class path"));
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
