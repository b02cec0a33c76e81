package dev.janus.backend.cpu;

import dev.janus.ops.Attrs;
import dev.janus.ops.CustomOp;
import dev.janus.ops.CustomOps;
import dev.janus.ops.HostTensor;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;

/** Runs a registered {@link CustomOp}'s Java CPU kernel on CPU buffers, without copying them. */
final class CustomKernels {
    private CustomKernels() {}

    static Buffer run(Attrs a, Buffer[] inputs, TensorSpec[] specs, TensorSpec outSpec) {
        CustomOp op = CustomOps.of(a);
        CustomOp.CpuKernel kernel = op.cpuKernel().orElseThrow(() -> CustomOps.noKernel(a, "cpu"));
        HostTensor[] in = new HostTensor[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = new HostTensor(specs[i], ((CpuBuffer) inputs[i]).array);
        }
        // NOTE: zero-filled (not allocateOverwritten) so that a kernel that skips elements leaves zeros, not stale data
        CpuBuffer out = CpuBuffer.allocate(outSpec.dtype(), outSpec.shape().numel());
        kernel.run(in, new HostTensor(outSpec, out.array), a);
        return out;
    }
}
