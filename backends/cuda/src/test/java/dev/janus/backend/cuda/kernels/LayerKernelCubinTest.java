package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every convolution and pooling kernel ({@link WindowKernel.Kind} × float32/float64) and the gather/scatter-add
 * kernels (value dtypes × i32/i64 indices × ranks 1 and 4) compile to an sm_90 CUBIN with the backend's NVRTC options,
 * in one translation unit after the prelude and one nvcc process, as {@link KernelCubinTest} does for the
 * elementwise and reduction kernels. Their results are checked in {@code WindowOpsTest} and
 * {@code IndexOnDeviceTest} (g++, host shim).
 */
class LayerKernelCubinTest {
    @TempDir
    Path work;

    @Test
    void everyWindowAndIndexKernel_compilesToCubinForSm90() throws Exception {
        Assumptions.assumeTrue(HostKernelRunner.available("nvcc"), "nvcc is not on PATH: cannot compile CUDA C here");
        List<GeneratedKernel> kernels = new ArrayList<>();
        for (WindowKernel.Kind kind : WindowKernel.Kind.values()) {
            for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
                kernels.add(CudaKernels.window(kind, t));
            }
        }
        for (int rank : new int[] {1, 4}) { // the rank changes only the argument list
            for (DType index : List.of(DType.INT32, DType.INT64)) {
                for (DType value : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL)) {
                    kernels.add(CudaKernels.index(true, value, index, rank));
                }
                kernels.add(CudaKernels.index(false, DType.FLOAT32, index, rank));
                kernels.add(CudaKernels.index(false, DType.FLOAT64, index, rank));
            }
        }
        StringBuilder cu = new StringBuilder(KernelSource.PRELUDE);
        kernels.forEach(k -> cu.append('\n').append(k.kernel()));
        Path src = work.resolve("layers.cu");
        Path cubin = work.resolve("layers.cubin");
        Files.writeString(src, cu.toString());
        List<String> command = new ArrayList<>(List.of("nvcc", "-cubin", "-arch=sm_90"));
        command.addAll(NvrtcOptions.COMMON);
        command.addAll(List.of("-o", cubin.toString(), src.toString()));
        HostKernelRunner.exec(command, null);
        String symbols = new String(Files.readAllBytes(cubin), StandardCharsets.ISO_8859_1); // the ELF string table
        for (GeneratedKernel k : kernels) {
            assertTrue(symbols.contains(k.name() + "\0"), "the CUBIN lacks kernel " + k.name());
        }
    }

    @Test
    void window_integerData_isRefusedNamingTheDtype() {
        UnsupportedKernelException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedKernelException.class,
                () -> CudaKernels.window(WindowKernel.Kind.IM2COL, DType.INT32));
        assertTrue(e.getMessage().contains("IM2COL") && e.getMessage().contains("INT32"), e.getMessage());
    }
}
