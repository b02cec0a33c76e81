package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.ops.AttrType;
import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom op's own CUDA C: the launch contract (symbol, argument order, attribute encoding), its compilation for
 * sm_90 with the prelude and the backend's NVRTC options, and its results against the op's CPU kernel (g++ through
 * the host shim).
 */
public class CustomKernelTest {
    /** The walk-through's swish with a slope, with CUDA source written to the contract of {@link CustomKernel}. */
    public static final String SWISH_CUDA = """
            extern "C" __global__ void test_cuda_swish(float* out, const float* x, long long n, long long nx, double beta) {
                for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
                        i += (long long) gridDim.x * blockDim.x) {
                    float v = x[i];
                    out[i] = v / (1.0f + expf((float) (-beta * v)));
                }
            }
            """;

    public static final CustomOp SWISH = CustomOp.define("test.cuda-swish")
            .attr("beta", AttrType.FLOAT, 1.0)
            .shape((in, a) -> in[0])
            .cpu((in, out, a) -> {
                float beta = (float) a.d("beta");
                float[] x = in[0].f32();
                float[] y = out.f32();
                for (int i = 0; i < y.length; i++) {
                    y[i] = x[i] / (1f + (float) Math.exp(-beta * x[i]));
                }
            })
            .cuda(SWISH_CUDA)
            .notDifferentiable()
            .register();

    @TempDir
    Path work;

    @Test
    void of_namesTheSymbolFromTheOpName_andArgumentsFollowTheContract() {
        CustomKernel k = CustomKernel.of(SWISH);
        assertEquals("test_cuda_swish", k.name());
        Attrs attrs = SWISH.nodeAttrs(Attrs.of("beta", 1.5));
        assertArrayEquals(new long[] {6, 6, Double.doubleToRawLongBits(1.5)},
                CustomKernel.scalarArgs(SWISH, attrs, 6, new long[] {6}));
    }

    @Test
    void of_sourceWithoutTheSymbol_saysWhichSymbolItNeeds() {
        CustomOp wrong = CustomOp.define("test.cuda-misnamed").shape((in, a) -> in[0])
                .cuda("extern \"C\" __global__ void something_else(float* out) {}").notDifferentiable().register();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CustomKernel.of(wrong));
            assertTrue(e.getMessage().contains("test_cuda_misnamed"), e.getMessage());
        } finally {
            CustomOps.unregister("test.cuda-misnamed");
        }
    }

    @Test
    void scalarArgs_aStringAttribute_isRefusedNamingIt() {
        CustomOp op = CustomOp.define("test.cuda-string").attr("mode", AttrType.STRING, "fast").shape((in, a) -> in[0])
                .cuda("extern \"C\" __global__ void test_cuda_string(float* out) {}").notDifferentiable().register();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CustomKernel.scalarArgs(op, op.nodeAttrs(Attrs.NONE), 1, new long[] {1}));
            assertTrue(e.getMessage().contains("'mode'") && e.getMessage().contains("STRING"), e.getMessage());
        } finally {
            CustomOps.unregister("test.cuda-string");
        }
    }

    @Test
    void swishSource_onTheHost_matchesTheCpuKernel() throws Exception {
        Assumptions.assumeTrue(HostKernelRunner.available("g++"), "g++ is not on PATH");
        // NOTE: the host run passes long arguments as numbers, so an adapter turns beta's bits back into a double,
        // which a GPU launch does by passing the same 8 bytes; under the shim one kernel may call another
        GeneratedKernel adapter = new CustomKernel("test_cuda_swish_host", SWISH_CUDA + """
                extern "C" __global__ void test_cuda_swish_host(float* out, const float* x, long long n, long long nx,
                        long long beta_bits) {
                    test_cuda_swish(out, x, n, nx, __longlong_as_double(beta_bits));
                }
                """);
        Random r = new Random(3);
        float[] x = new float[37];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 4);
        }
        x[0] = 0f;
        x[1] = -30f;
        Attrs attrs = SWISH.nodeAttrs(Attrs.of("beta", 1.5));
        HostKernelRunner.Case c = new HostKernelRunner.Case(adapter, List.of(DType.FLOAT32), new Object[] {x},
                DType.FLOAT32, x.length, CustomKernel.scalarArgs(SWISH, attrs, x.length, new long[] {x.length}));
        float[] gpu = (float[]) HostKernelRunner.run(List.of(c), work).get(0);
        for (int i = 0; i < x.length; i++) {
            float expected = x[i] / (1f + (float) Math.exp(-1.5f * x[i]));
            assertEquals(expected, gpu[i], Math.ulp(expected) * 4, "element " + i + " of swish(" + x[i] + ")");
        }
    }

    @Test
    void swishSource_compilesForSm90WithThePrelude() throws Exception {
        Assumptions.assumeTrue(HostKernelRunner.available("nvcc"), "nvcc is not on PATH: cannot compile CUDA C here");
        CustomKernel k = CustomKernel.of(SWISH);
        Path src = work.resolve("custom.cu");
        Path cubin = work.resolve("custom.cubin");
        Files.writeString(src, k.fullSource());
        List<String> command = new ArrayList<>(List.of("nvcc", "-cubin", "-arch=sm_90"));
        command.addAll(NvrtcOptions.COMMON);
        command.addAll(List.of("-o", cubin.toString(), src.toString()));
        HostKernelRunner.exec(command, null);
        String symbols = new String(Files.readAllBytes(cubin), StandardCharsets.ISO_8859_1);
        assertTrue(symbols.contains("test_cuda_swish\0"), "the CUBIN lacks the kernel");
    }
}
