package dev.janus.backend.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.ops.Op;
import dev.janus.spi.Buffer;
import dev.janus.spi.FusedKernel;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated CUDA kernels compute what the CPU backend computes: every case of {@link KernelCases} is compiled
 * with g++ through {@code host_shim.h} (one process for all), run on a 3 x 5 emulated grid, and compared with
 * the CPU backend's kernel on the same inputs. Exact where both round the same operation once; within a few
 * ulps where the CUDA code calls a single-precision function ({@code expf}) and the CPU computes in double.
 * The C library's functions stand in for CUDA's here, so this checks the code, not CUDA's own accuracy.
 */
class KernelSemanticsTest {
    /** Ops whose float results must equal the CPU's bit for bit (one correctly rounded operation, or none). */
    private static final Set<Op> EXACT = EnumSet.of(Op.NEG, Op.ABS, Op.SIGN, Op.RELU, Op.ADD, Op.SUB, Op.MUL, Op.DIV,
            Op.MAXIMUM, Op.MINIMUM, Op.FLOOR, Op.CEIL, Op.ROUND, Op.SQRT, Op.STOP_GRADIENT, Op.CAST, Op.WHERE,
            Op.MAX, Op.MIN, Op.ARGMAX, Op.ARGMIN);

    private final CpuBackend cpu = new CpuBackend();

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everyKernel_matchesCpuBackend() throws Exception {
        Assumptions.assumeTrue(HostKernelRunner.available("g++"), "g++ is not on PATH: the kernel semantics need a C++ compiler");
        List<KernelCases.Named> named = KernelCases.all();
        List<HostKernelRunner.Case> cases = new ArrayList<>();
        named.forEach(n -> cases.add(n.hostCase()));
        List<Object> results = HostKernelRunner.run(cases, work);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < named.size(); i++) {
            KernelCases.Named n = named.get(i);
            Object got = results.get(i);
            tests.add(DynamicTest.dynamicTest(n.name(), () -> compare(n, cpuResult(n), got)));
        }
        return tests.stream();
    }

    Object cpuResult(KernelCases.Named n) {
        Buffer[] in = new Buffer[n.inputs().length];
        for (int i = 0; i < in.length; i++) {
            DType t = n.program() != null ? n.program().dtype() : n.specs()[i].dtype();
            in[i] = cpu.fromHost(n.inputs()[i], t, Device.CPU);
        }
        if (n.program() == null) {
            return cpu.toHost(cpu.execute(n.op(), n.attrs(), in, n.specs(), n.out()));
        }
        FusedKernel k = cpu.compileElementwise(n.program());
        assertNotNull(k, "the CPU backend fuses " + n.name());
        Buffer out = cpu.allocate(n.program().dtype(), n.program().outShape().numel());
        k.run(in, out);
        return cpu.toHost(out);
    }

    static void compare(KernelCases.Named n, Object want, Object got) {
        assertEquals(Array.getLength(want), Array.getLength(got), n.name());
        boolean exact = n.program() == null ? EXACT.contains(n.op()) || !(want instanceof float[] || want instanceof double[])
                : n.program().steps().stream().allMatch(s -> EXACT.contains(s.op()) || s.op() == Op.MATMUL);
        for (int i = 0; i < Array.getLength(want); i++) {
            Object w = Array.get(want, i);
            Object g = Array.get(got, i);
            String where = n.name() + " element " + i + " (inputs " + inputsAt(n, i) + ")";
            if (w instanceof Float f) {
                assertClose(f, (Float) g, exact, 1e-5, 1e-6, Math.ulp(f), where);
            } else if (w instanceof Double d) {
                assertClose(d, (Double) g, exact, 1e-13, 1e-15, Math.ulp(d), where);
            } else {
                assertEquals(w, g, where);
            }
        }
    }

    private static void assertClose(double want, double got, boolean exact, double rel, double abs, double ulp, String where) {
        if (Double.isNaN(want) || Double.isNaN(got) || Double.isInfinite(want) || exact) {
            // NOTE: exact cases compare bits through equals, so -0 and +0 differ, as they do for the CPU kernels
            assertEquals(Double.valueOf(want), Double.valueOf(got), where);
            return;
        }
        double err = Math.abs(want - got);
        if (err > Math.max(Math.max(abs, rel * Math.abs(want)), 4 * ulp)) {
            assertEquals(want, got, where + ": error " + err);
        }
    }

    private static String inputsAt(KernelCases.Named n, int i) {
        if (n.program() != null) {
            return "see the program";
        }
        StringBuilder b = new StringBuilder();
        for (Object in : n.inputs()) {
            int len = Array.getLength(in);
            b.append(len == 0 ? "-" : String.valueOf(Array.get(in, Math.min(i, len - 1)))).append(' ');
        }
        return b.toString().trim() + (n.specs().length > 1 ? ", broadcast" : "");
    }
}
