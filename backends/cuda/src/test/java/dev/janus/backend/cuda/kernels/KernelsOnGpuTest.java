package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.janus.DType;
import dev.janus.backend.cuda.CudaBackend;
import dev.janus.backend.cuda.Gpu;
import dev.janus.spi.Buffer;
import dev.janus.spi.FusedKernel;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same cases as {@link KernelSemanticsTest}, on the GPU through the backend (NVRTC, the driver API, CUDA's own
 * math functions), against the CPU backend with the same tolerances. Skips without a usable GPU.
 */
class KernelsOnGpuTest {
    @TestFactory
    Stream<DynamicTest> everyKernel_onTheGpu_matchesCpuBackend() {
        CudaBackend gpu = Gpu.require();
        KernelSemanticsTest reference = new KernelSemanticsTest();
        return KernelCases.all().stream().map(n -> DynamicTest.dynamicTest(n.name(),
                () -> KernelSemanticsTest.compare(n, reference.cpuResult(n), run(gpu, n))));
    }

    private static Object run(CudaBackend gpu, KernelCases.Named n) {
        Buffer[] in = new Buffer[n.inputs().length];
        for (int i = 0; i < in.length; i++) {
            DType t = n.program() != null ? n.program().dtype() : n.specs()[i].dtype();
            in[i] = gpu.fromHost(n.inputs()[i], t, Gpu.CUDA);
        }
        if (n.program() == null) {
            return gpu.toHost(gpu.execute(n.op(), n.attrs(), in, n.specs(), n.out()));
        }
        FusedKernel k = gpu.compileElementwise(n.program());
        assertNotNull(k, "the CUDA backend fuses " + n.name());
        Buffer out = gpu.allocate(n.program().dtype(), n.program().outShape().numel());
        k.run(in, out);
        return gpu.toHost(out);
    }
}
