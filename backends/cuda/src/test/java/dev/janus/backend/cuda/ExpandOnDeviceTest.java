package dev.janus.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXPAND runs as a broadcast-copy kernel (g++, host shim) and gives the CPU's elements in every dtype. */
class ExpandOnDeviceTest {
    @TempDir
    Path work;

    @Test
    void expand_everyDtype_isOneKernelAndMatchesCpu() throws Exception {
        Assumptions.assumeTrue(HostKernelProcessCheck.gxx(), "g++ is not on PATH: the kernels cannot run on the host");
        List<Object[]> cases = List.of(
                new Object[] {new float[] {1.5f, -0f, Float.NaN}, DType.FLOAT32, Shape.of(3, 1), Shape.of(2, 3, 4)},
                new Object[] {new double[] {1, 2, 3, 4}, DType.FLOAT64, Shape.of(4), Shape.of(2, 4)},
                new Object[] {new long[] {Long.MIN_VALUE, 7}, DType.INT64, Shape.of(1, 2), Shape.of(3, 2)},
                new Object[] {new int[] {5}, DType.INT32, Shape.of(), Shape.of(2, 2)},
                new Object[] {new boolean[] {true, false, true}, DType.BOOL, Shape.of(1, 3), Shape.of(2, 3)});
        CpuBackend cpu = new CpuBackend();
        List<Object> got = HostRunDevice.run(work, 1 << 20, device -> {
            CudaExecutor gpu = device.executor();
            List<Object> out = new ArrayList<>();
            for (Object[] c : cases) {
                TensorSpec in = new TensorSpec((DType) c[1], (Shape) c[2]);
                Attrs a = Attrs.of("shape", ((Shape) c[3]).dims());
                TensorSpec o = ShapeRules.infer(Op.EXPAND, a, in);
                CudaBuffer y = gpu.memory().allocateUninitialized(o.dtype(), o.shape().numel());
                assertEquals(CudaExecutor.Path.KERNEL, gpu.executeInto(Op.EXPAND, a,
                        new Buffer[] {gpu.memory().fromHost(c[0], in.dtype())}, new TensorSpec[] {in}, o, y));
                out.add(gpu.memory().toHost(y));
            }
            return out;
        });
        for (int i = 0; i < cases.size(); i++) {
            Object[] c = cases.get(i);
            TensorSpec in = new TensorSpec((DType) c[1], (Shape) c[2]);
            Attrs a = Attrs.of("shape", ((Shape) c[3]).dims());
            Object want = cpu.toHost(cpu.execute(Op.EXPAND, a, new Buffer[] {cpu.fromHost(c[0], in.dtype(), Device.CPU)},
                    new TensorSpec[] {in}, ShapeRules.infer(Op.EXPAND, a, in)));
            assertEquals(java.util.Arrays.deepToString(new Object[] {want}), java.util.Arrays.deepToString(new Object[] {got.get(i)}),
                    "expand " + in + " to " + c[3]);
        }
    }
}
