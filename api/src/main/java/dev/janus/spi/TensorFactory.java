package dev.janus.spi;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.Tensor;

/**
 * Creates concrete tensors and computes gradients: the eager engine's face towards the api module, found
 * with {@link java.util.ServiceLoader} (see {@link Engines}) so that api depends on nothing.
 */
public interface TensorFactory {
    /**
     * A tensor holding a copy of {@code array} (a {@code float[]}, {@code double[]}, {@code int[]},
     * {@code long[]} or {@code boolean[]} matching {@code dtype}) with the given shape.
     */
    Tensor fromHost(Object array, DType dtype, Shape shape, Device device);

    /** The device new tensors go to when none is named. */
    Device defaultDevice();

    /** What {@link Device#auto()} answers; a factory that knows only the CPU keeps this default. */
    default Device autoDevice() {
        return Device.CPU;
    }

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}, which may be null for scalar outputs)
     * with respect to {@code inputs}, without touching any {@code grad()} field. With {@code createGraph}
     * the results are themselves differentiable (second-order gradients).
     */
    Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph, boolean createGraph);
}
