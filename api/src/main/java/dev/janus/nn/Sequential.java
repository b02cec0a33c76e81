package dev.janus.nn;

import dev.janus.Tensor;
import java.util.List;

/**
 * Modules applied in order; children are named {@code 0, 1, 2, ...} as in PyTorch.
 *
 * <pre>{@code Module mlp = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));}</pre>
 */
public class Sequential extends Module {
    private final Module[] layers;

    public Sequential(Module... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) {
            registerModule(Integer.toString(i), layers[i]);
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : layers) {
            h = m.forward(h);
        }
        return h;
    }

    public int size() {
        return layers.length;
    }

    public Module get(int i) {
        return layers[i];
    }

    public List<Module> layers() {
        return List.of(layers);
    }
}
