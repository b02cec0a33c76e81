package dev.janus.backend.cuda.runtime;

import dev.janus.DType;
import dev.janus.Shape;
import dev.janus.backend.cuda.GemmPlan;
import dev.janus.backend.cuda.kernels.CudaKernels;
import dev.janus.backend.cuda.kernels.KernelSource;
import dev.janus.backend.cuda.kernels.KernelSpec;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The runtime classes through JavaCPP's real CUDA JNI glue against fake CUDA libraries (backends/cuda/fake-cuda-check.sh
 * builds them from src/test/fake-cuda): host memory for device memory, nvcc for NVRTC, cuBLAS's documented GEMM on
 * the host, and a driver whose one kernel negates floats. It checks the marshalling of every call in this package
 * (argument order and types, out-parameters, kernelParams) without a GPU; CUDA's own behaviour is not checked.
 */
public final class FakeCudaMain {
    private static int failures;

    private FakeCudaMain() {}

    public static void main(String[] args) {
        CudaRuntimeLoader.Loaded d = CudaRuntimeLoader.load(0);
        check(d.description().equals("cuda:0 (compute capability 9.0, NVRTC 13.1)"), "loader: " + d.description());
        check(d.memory().totalBytes() == 80L << 30, "cudaMemGetInfo total");
        CudartMemory m = d.memory();
        CudartTransfers t = d.transfers();

        float[] f = {1.5f, -2f, Float.NaN, 3e38f};
        long pf = m.malloc(16);
        t.toDevice(f, pf);
        float[] f2 = new float[4];
        t.toHost(pf, f2);
        check(Arrays.equals(f, f2), "float32 round trip");
        double[] g = {1.5, -2, 1e300};
        long pg = m.malloc(24);
        t.toDevice(g, pg);
        double[] g2 = new double[3];
        t.toHost(pg, g2);
        check(Arrays.equals(g, g2), "float64 round trip");
        long[] l = {Long.MIN_VALUE, 7};
        long pl = m.malloc(16);
        t.toDevice(l, pl);
        long[] l2 = new long[2];
        t.toHost(pl, l2);
        check(Arrays.equals(l, l2), "int64 round trip");
        int[] i = {Integer.MIN_VALUE, 7, 9};
        long pi = m.malloc(12);
        t.toDevice(i, pi);
        int[] i2 = new int[3];
        t.toHost(pi, i2);
        check(Arrays.equals(i, i2), "int32 round trip");
        byte[] b = {1, 0, 1};
        long pb = m.malloc(3);
        t.toDevice(b, pb);
        byte[] b2 = new byte[3];
        t.toHost(pb, b2);
        check(Arrays.equals(b, b2), "bool round trip");
        long pd = m.malloc(16);
        t.deviceToDevice(pf, pd, 16);
        float[] f3 = new float[4];
        t.toHost(pd, f3);
        check(Arrays.equals(f, f3), "device to device copy");
        t.zero(pd, 8);
        t.toHost(pd, f3);
        check(f3[0] == 0 && f3[1] == 0 && Float.isNaN(f3[2]), "cudaMemset of the first 8 bytes");

        // row-major [2,3] @ [4,3]^T through the plan
        long px = m.malloc(24);
        long pw = m.malloc(48);
        long pc = m.malloc(32);
        t.toDevice(new float[] {1, 2, 3, 4, 5, 6}, px);
        t.toDevice(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, pw);
        d.gemm().gemm(DType.FLOAT32, GemmPlan.of(Shape.of(2, 3), Shape.of(4, 3), false, true), px, pw, pc);
        float[] c = new float[8];
        t.toHost(pc, c);
        check(Arrays.equals(c, new float[] {1, 2, 3, 6, 4, 5, 6, 15}), "sgemm x @ wT = " + Arrays.toString(c));
        // float64 [2,2,3] @ [3,2]: batched, the right side broadcast (stride 0)
        double[] xa = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        double[] wb = {1, 2, 3, 4, 5, 6};
        long qa = m.malloc(96);
        long qb = m.malloc(48);
        long qc = m.malloc(64);
        t.toDevice(xa, qa);
        t.toDevice(wb, qb);
        d.gemm().gemm(DType.FLOAT64, GemmPlan.of(Shape.of(2, 2, 3), Shape.of(3, 2), false, false), qa, qb, qc);
        double[] got = new double[8];
        t.toHost(qc, got);
        double[] want = new double[8];
        for (int bb = 0; bb < 2; bb++) {
            for (int r = 0; r < 2; r++) {
                for (int col = 0; col < 2; col++) {
                    for (int k = 0; k < 3; k++) {
                        want[bb * 4 + r * 2 + col] += xa[bb * 6 + r * 3 + k] * wb[k * 2 + col];
                    }
                }
            }
        }
        check(Arrays.equals(got, want), "dgemm batched with broadcast = " + Arrays.toString(got));
        d.gemm().setTf32(true);
        d.gemm().setTf32(false);
        check(true, "cublasSetMathMode TF32 and default");

        // the fake driver runs this launch as out[i] = -in[i], reading the arguments through kernelParams
        TensorSpec x = new TensorSpec(DType.FLOAT32, Shape.of(4));
        KernelSource neg = CudaKernels.source(KernelSpec.forOp(Op.NEG, Attrs.NONE, new TensorSpec[] {x}, x));
        long[] scalars = neg.scalarArgs(List.of(Shape.of(4)), Shape.of(4));
        check(Arrays.equals(scalars, new long[] {4}), "neg's scalar arguments: n only");
        d.launcher().launch(neg, new long[] {pd, pf}, scalars);
        t.toHost(pd, f3);
        check(f3[0] == -1.5f && f3[1] == 2f && Float.isNaN(f3[2]) && f3[3] == -3e38f, "launch: " + Arrays.toString(f3));
        check(d.launcher().loadedCount() == 1, "the smoke test's kernel is the one loaded");

        try {
            new NvrtcCompiler(9, 0).compile("extern \"C\" __global__ void k() { undefined_thing(); }", "broken");
            check(false, "a broken kernel must not compile");
        } catch (CudaException e) {
            check(e.getMessage().contains("undefined_thing") && e.getMessage().contains("NVRTC_ERROR_COMPILATION"),
                    "compile error with the log: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            CudaCalls.checkDriver(700, "cuTest");
            check(false, "a driver error must throw");
        } catch (CudaException e) {
            check(e.getMessage().equals("cuTest failed: CUDA driver error 700 (fake driver error 700)"), e.getMessage());
        }
        for (long p : new long[] {pf, pg, pl, pi, pb, pd, px, pw, pc, qa, qb, qc}) {
            m.free(p);
        }
        System.out.println(failures == 0 ? "fake CUDA check passed" : failures + " fake CUDA check(s) FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void check(boolean ok, String what) {
        System.out.println((ok ? "ok    " : "FAIL  ") + what);
        if (!ok) {
            failures++;
        }
    }
}
