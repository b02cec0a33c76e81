package dev.janus.eager;

import dev.janus.DType;
import dev.janus.Device;
import dev.janus.ops.Attrs;
import dev.janus.ops.Op;
import dev.janus.ops.TensorSpec;
import dev.janus.spi.Backend;
import dev.janus.spi.Buffer;

/**
 * A second device for tests on machines without a GPU: device kind {@code emu}, kernels borrowed from the CPU
 * backend, but buffers of its own type, so a CPU buffer reaching it (or one of its buffers reaching the CPU
 * backend) fails loudly instead of silently working. That is what lets device moves and mixed-device checks
 * be tested anywhere.
 */
public final class EmulatedDeviceBackend implements Backend {
    public static final Device EMU = new Device("emu", 0);

    /** Buffers handed out and not yet given back by reference counting (see {@link dev.janus.spi.Buffer#retain()}). */
    public static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

    /** Counts references like a device buffer would, and refuses any use after its memory was given back. */
    private static final class EmuBuffer implements Buffer {
        private final Buffer host;
        private final java.util.concurrent.atomic.AtomicInteger refs = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean freed;

        EmuBuffer(Buffer host) {
            this.host = host;
            LIVE.incrementAndGet();
        }

        Buffer host() {
            if (freed) {
                throw new IllegalStateException("use after free: an emu buffer was used after its last tensor released it");
            }
            return host;
        }

        @Override
        public DType dtype() {
            return host.dtype();
        }

        @Override
        public long numel() {
            return host.numel();
        }

        @Override
        public void retain() {
            if (freed) {
                throw new IllegalStateException("retain after free");
            }
            refs.incrementAndGet();
        }

        @Override
        public void release() {
            int left = refs.decrementAndGet();
            if (left < 0) {
                throw new IllegalStateException("an emu buffer was released more often than retained");
            }
            if (left == 0) {
                freed = true;
                LIVE.decrementAndGet();
            }
        }
    }

    private Backend cpuBackend;

    // NOTE: found lazily, because the ServiceLoader that makes this backend may be in the middle of finding the CPU one
    private synchronized Backend cpu() {
        if (cpuBackend == null) {
            cpuBackend = EagerFactory.backend(Device.CPU);
        }
        return cpuBackend;
    }

    private static Buffer host(Buffer b) {
        if (b instanceof EmuBuffer e) {
            return e.host();
        }
        throw new IllegalStateException("a " + b.getClass().getSimpleName() + " from another device reached the emu backend");
    }

    private static Buffer[] host(Buffer[] bs) {
        Buffer[] out = new Buffer[bs.length];
        for (int i = 0; i < bs.length; i++) {
            out[i] = host(bs[i]);
        }
        return out;
    }

    @Override
    public String deviceKind() {
        return EMU.kind();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Buffer fromHost(Object array, DType dtype, Device device) {
        return new EmuBuffer(cpu().fromHost(array, dtype, Device.CPU));
    }

    @Override
    public Object toHost(Buffer buffer) {
        return cpu().toHost(host(buffer));
    }

    @Override
    public void copy(Buffer src, Buffer dst) {
        cpu().copy(host(src), host(dst));
    }

    @Override
    public Buffer allocate(DType dtype, long numel) {
        return new EmuBuffer(cpu().allocate(dtype, numel));
    }

    @Override
    public Buffer execute(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec) {
        Buffer result = cpu().execute(op, attrs, host(inputs), inputSpecs, outputSpec);
        for (Buffer in : inputs) {
            if (((EmuBuffer) in).host == result) {
                return in; // an alias (reshape) shares the input's buffer and so its reference count, as on a GPU
            }
        }
        return new EmuBuffer(result);
    }

    @Override
    public void executeInto(Op op, Attrs attrs, Buffer[] inputs, TensorSpec[] inputSpecs, TensorSpec outputSpec,
            Buffer out) {
        cpu().executeInto(op, attrs, host(inputs), inputSpecs, outputSpec, host(out));
    }

    @Override
    public boolean hasNonFinite(Buffer buffer) {
        return cpu().hasNonFinite(host(buffer));
    }
}
