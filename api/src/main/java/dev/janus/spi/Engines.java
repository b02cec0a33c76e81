package dev.janus.spi;

import java.util.ServiceLoader;

/** Finds the tensor factory on the class path once, the way SLF4J finds its binding. */
public final class Engines {
    private static volatile TensorFactory factory;

    private Engines() {}

    /** The eager tensor factory, or an error naming the artifacts to add. */
    public static TensorFactory factory() {
        TensorFactory f = factory;
        if (f == null) {
            synchronized (Engines.class) {
                f = factory;
                if (f == null) {
                    f = ServiceLoader.load(TensorFactory.class).findFirst().orElseThrow(() -> new IllegalStateException(
                            "no Janus tensor engine on the class path: add the artifacts dev.janus:janus-eager and "
                                    + "dev.janus:janus-backend-cpu"));
                    factory = f;
                }
            }
        }
        return f;
    }
}
