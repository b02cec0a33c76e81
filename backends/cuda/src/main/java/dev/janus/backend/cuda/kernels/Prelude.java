package dev.janus.backend.cuda.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads {@code prelude.cuh}, the helper functions of the generated kernels, once. */
final class Prelude {
    static final String TEXT = read();

    private Prelude() {}

    private static String read() {
        try (InputStream in = Prelude.class.getResourceAsStream("prelude.cuh")) {
            if (in == null) {
                throw new IllegalStateException("prelude.cuh is missing from the janus-backend-cuda jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prelude.cuh", e);
        }
    }
}
