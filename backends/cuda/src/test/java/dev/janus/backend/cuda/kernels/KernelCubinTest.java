package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated kernel compiles to machine code for the H100/H200 ({@code sm_90}: front end, PTX and ptxas, as
 * NVRTC does it at run time) with the CUDA toolkit's {@code nvcc}, all in one translation unit and one process,
 * with the options the backend gives NVRTC. Skips where nvcc is not on
 * PATH. NOTE: nvcc adds the CUDA headers that NVRTC lacks, so a kernel that needed one would pass here and fail
 * at run time; the generated code uses only built-in functions and the prelude for that reason.
 */
class KernelCubinTest {
    @TempDir
    Path work;

    @Test
    void everyGeneratedKernel_compilesToCubinForSm90() throws Exception {
        Assumptions.assumeTrue(HostKernelRunner.available("nvcc"), "nvcc is not on PATH: cannot compile CUDA C here");
        Map<String, GeneratedKernel> kernels = new LinkedHashMap<>();
        for (KernelCases.Named n : KernelCases.all()) {
            GeneratedKernel k = n.hostCase().kernel();
            kernels.putIfAbsent(k.name(), k);
        }
        StringBuilder cu = new StringBuilder(KernelSource.PRELUDE);
        kernels.values().forEach(k -> cu.append('\n').append(k.kernel()));
        Path src = work.resolve("kernels.cu");
        Path cubin = work.resolve("kernels.cubin");
        Files.writeString(src, cu.toString());
        List<String> command = new java.util.ArrayList<>(List.of("nvcc", "-cubin", "-arch=sm_90"));
        command.addAll(NvrtcOptions.COMMON);
        command.addAll(List.of("-o", cubin.toString(), src.toString()));
        HostKernelRunner.exec(command, null);
        String symbols = new String(Files.readAllBytes(cubin), StandardCharsets.ISO_8859_1); // the ELF string table
        for (String name : kernels.keySet()) {
            assertTrue(symbols.contains(name + "\0"), "the CUBIN lacks kernel " + name);
        }
        assertTrue(kernels.size() > 200, "expected over 200 distinct kernels, got " + kernels.size());
    }
}
