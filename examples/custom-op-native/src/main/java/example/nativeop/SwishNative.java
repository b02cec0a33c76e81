package example.nativeop;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI binding of src/main/cpp/fast_swish.h. JavaCPP's Maven plugin reads these annotations after compile,
 * writes the JNI glue, compiles it with g++ into {@code libjniSwishNative.so} and puts it beside this class, so
 * the jar carries it and {@link Loader#load()} finds it on the class path.
 */
@Platform(include = "fast_swish.h")
public final class SwishNative {
    static {
        Loader.load();
    }

    private SwishNative() {}

    /** y[i] = x[i] · sigmoid(beta · x[i]) for i < n, in float. */
    @Name("fast_swish_f32")
    public static native void swish(@Cast("const float*") float[] x, float[] y, long n, double beta);

    /** The same in double. */
    @Name("fast_swish_f64")
    public static native void swish(@Cast("const double*") double[] x, double[] y, long n, double beta);
}
