package dev.janus.backend.cuda;

import dev.janus.Device;
import dev.janus.backend.cpu.CpuBackend;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Buffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an op that has no CUDA kernel on the CPU backend: copies the inputs to the host, runs the CPU kernel and
 * copies the result into device memory. Correct for every op, slow (two PCIe trips); each op is logged once at
 * debug so a profile can find the ones worth a kernel.
 */
final class HostFallback {
    private static final Logger LOG = LoggerFactory.getLogger(HostFallback.class);

    private final CpuBackend cpu = new CpuBackend();
    private final CudaMemoryOps memory;
    private final Set<Op> logged = ConcurrentHashMap.newKeySet();

    HostFallback(CudaMemoryOps memory) {
        this.memory = memory;
    }

    /** Computes {@code op} on the CPU and writes its result into {@code out}. */
    void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec, CudaBuffer out) {
        if (logged.add(op)) {
            LOG.debug("op '{}' has no CUDA kernel: it runs on the CPU with host copies (logged once per op)", op.opName());
        }
        Buffer[] host = new Buffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            host[i] = cpu.fromHost(memory.toHost((CudaBuffer) inputs[i]), inputs[i].dtype(), Device.CPU);
        }
        Object result = cpu.toHost(cpu.execute(op, attrs, host, inputSpecs, outputSpec));
        memory.write(result, out);
    }

    /** Ops that have gone through the fallback so far. */
    Set<Op> opsSeen() {
        return Set.copyOf(logged);
    }
}
