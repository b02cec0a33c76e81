package example.nativeop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Generator;
import dev.janus.GradCheck;
import dev.janus.Tensor;
import dev.janus.io.ModelArchive;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.trace.TracedFunction;
import dev.janus.trace.Tracer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C++ kernel, through JavaCPP, computes what a Java loop does, eagerly, traced and from an archive. */
class NativeSwishTest {
    @TempDir
    Path dir;

    /** User code applying the op between ordinary tensor ops. */
    static final class Model {
        Tensor forward(Tensor x) {
            return NativeSwish.OP.apply(x.mul(2.0), Attrs.of("beta", 0.75)).add(1.0);
        }
    }

    private static float[] reference(float[] x, double beta) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / (1f + (float) Math.exp(-(float) beta * x[i]));
        }
        return y;
    }

    @Test
    void nativeKernel_isTheLibraryInTheJar_andMatchesJavaReference() {
        String lib = "/example/nativeop/" + org.bytedeco.javacpp.Loader.getPlatform() + "/libjniSwishNative.so";
        assertTrue(SwishNative.class.getResource(lib) != null, "no " + lib + " beside the class (JavaCPP build did not run)");
        Tensor x = Tensor.randn(new Generator(1), 1000);
        float[] got = NativeSwish.OP.apply(x, Attrs.of("beta", 1.7)).toFloatArray();
        assertArrayEquals(reference(x.toFloatArray(), 1.7), got, 1e-6f);
    }

    @Test
    void nativeKernel_float64_gradCheck() {
        GradCheck.check(in -> NativeSwish.OP.apply(in[0], Attrs.of("beta", 1.3)),
                Tensor.randn(new Generator(2), DType.FLOAT64, 3, 5));
    }

    @Test
    void traced_equalsEager_andArchiveRoundTripEqualsBoth() throws Exception {
        Model m = new Model();
        Tensor x = Tensor.randn(new Generator(3), 4, 6);
        TracedFunction<Tensor> traced = Tracer.trace(Model::forward, m, x);
        assertEquals(1, traced.graph().nodes().stream().filter(n -> n.op() == Op.CUSTOM).count(), traced.graph().toString());
        float[] eager = m.forward(x).toFloatArray();
        assertArrayEquals(eager, traced.call(x).toFloatArray(), 0f);
        Path file = dir.resolve("native.janus");
        ModelArchive.save(traced, file);
        assertArrayEquals(eager, ModelArchive.load(file).run(x)[0].toFloatArray(), 0f);
    }
}
