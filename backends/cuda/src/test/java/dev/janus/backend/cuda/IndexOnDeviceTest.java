package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.Shape;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.ShapeRules;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GATHER and SCATTER_ADD run as kernels (g++, host shim) and equal the CPU backend bit for bit — every axis, index
 * smaller than the input on the other axes, i32 and i64 indices, repeated indices summing in order — and an index
 * out of range fails with the CPU's message.
 */
class IndexOnDeviceTest {
    private final CpuBackend cpu = new CpuBackend();

    @TempDir
    Path work;

    /** One op: its inputs (host arrays) and specs. */
    record Case(Op op, int axis, TensorSpec[] specs, Object[] inputs) {}

    @Test
    void gatherAndScatterAdd_onTheDevicePath_equalCpu() throws Exception {
        Assumptions.assumeTrue(HostKernelProcessCheck.gxx(), "g++ is not on PATH: the kernels cannot run on the host");
        Random r = new Random(9);
        List<Case> cases = new ArrayList<>();
        for (int axis = 0; axis < 3; axis++) {
            long[] x = {3, 4, 5};
            long[] idx = {2, 3, 4};
            idx[axis] = 6;
            cases.add(new Case(Op.GATHER, axis, new TensorSpec[] {spec(DType.FLOAT32, x), spec(DType.INT64, idx)},
                    new Object[] {floats(r, x), indices(r, idx, x[axis], DType.INT64)}));
            cases.add(new Case(Op.GATHER, axis, new TensorSpec[] {spec(DType.INT64, x), spec(DType.INT32, idx)},
                    new Object[] {longs(r, x), indices(r, idx, x[axis], DType.INT32)}));
            cases.add(new Case(Op.SCATTER_ADD, axis, new TensorSpec[] {spec(DType.FLOAT32, x), spec(DType.INT64, idx),
                spec(DType.FLOAT32, idx)}, new Object[] {floats(r, x), indices(r, idx, x[axis], DType.INT64), floats(r, idx)}));
            cases.add(new Case(Op.SCATTER_ADD, axis, new TensorSpec[] {spec(DType.FLOAT64, x), spec(DType.INT32, idx),
                spec(DType.FLOAT64, idx)}, new Object[] {doubles(r, x), indices(r, idx, x[axis], DType.INT32), doubles(r, idx)}));
        }
        List<Object> got = HostRunDevice.run(work, 1 << 20, device -> {
            CudaExecutor gpu = device.executor();
            List<Object> out = new ArrayList<>();
            cases.forEach(c -> out.add(onDevice(gpu, c)));
            assertTrue(gpu.fallback().opsSeen().isEmpty(), "host fallback: " + gpu.fallback().opsSeen());
            return out;
        });
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            assertEquals(Arrays.deepToString(new Object[] {onCpu(c)}), Arrays.deepToString(new Object[] {got.get(i)}),
                    c.op() + " axis " + c.axis() + " " + Arrays.toString(c.specs()));
        }
    }

    @Test
    void gather_indexOutOfRange_failsWithTheCpuMessage() throws Exception {
        Assumptions.assumeTrue(HostKernelProcessCheck.gxx(), "g++ is not on PATH: the kernels cannot run on the host");
        Case c = new Case(Op.GATHER, 1, new TensorSpec[] {spec(DType.FLOAT32, new long[] {2, 3}), spec(DType.INT64, new long[] {2, 1})},
                new Object[] {new float[6], new long[] {1, 3}});
        // NOTE: the body also runs once on a device that only records launches (nothing fails there), so no assertThrows
        String message = HostRunDevice.run(work, 1 << 20, device -> {
            try {
                onDevice(device.executor(), c);
                return "no error";
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        assertEquals("op 'gather': index 3 is out of range for axis 1 of size 3 (shape [2, 3])", message);
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> onCpu(c)).getMessage());
    }

    private static Object onDevice(CudaExecutor gpu, Case c) {
        Buffer[] in = new Buffer[c.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = gpu.memory().fromHost(c.inputs()[i], c.specs()[i].dtype());
        }
        Attrs a = Attrs.of("axis", c.axis());
        TensorSpec out = ShapeRules.infer(c.op(), a, c.specs());
        CudaBuffer y = gpu.memory().allocateUninitialized(out.dtype(), out.shape().numel());
        assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(c.op(), a, in, c.specs(), out, y));
        return gpu.memory().toHost(y);
    }

    private Object onCpu(Case c) {
        Buffer[] in = new Buffer[c.inputs().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = cpu.fromHost(c.inputs()[i], c.specs()[i].dtype(), Device.CPU);
        }
        Attrs a = Attrs.of("axis", c.axis());
        return cpu.toHost(cpu.execute(c.op(), a, in, c.specs(), ShapeRules.infer(c.op(), a, c.specs())));
    }

    private static TensorSpec spec(DType t, long[] dims) {
        return new TensorSpec(t, Shape.of(dims));
    }

    private static int numel(long[] dims) {
        return (int) Shape.of(dims).numel();
    }

    private static float[] floats(Random r, long[] dims) {
        float[] v = new float[numel(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double[] doubles(Random r, long[] dims) {
        double[] v = new double[numel(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static long[] longs(Random r, long[] dims) {
        long[] v = new long[numel(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextLong();
        }
        return v;
    }

    private static Object indices(Random r, long[] dims, long bound, DType t) {
        long[] v = new long[numel(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt((int) bound);
        }
        return t == DType.INT64 ? v : Arrays.stream(v).mapToInt(x -> (int) x).toArray();
    }
}
