package dev.janus.backend.cuda.runtime;

import dev.janus.backend.cuda.Transfers;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link Transfers} through synchronous {@code cudaMemcpy} on the legacy default stream, which every kernel and
 * cuBLAS call also uses, so a copy sees the results of all work launched before it. Java arrays go through a
 * native staging copy (JavaCPP's array pointers).
 */
public final class CudartTransfers implements Transfers {
    @Override
    public void toDevice(Object array, long dst) {
        if (java.lang.reflect.Array.getLength(array) == 0) {
            return;
        }
        try (Pointer host = staging(array, true)) {
            CudaCalls.check(cudart.cudaMemcpy(CudaCalls.at(dst), host, bytes(host), cudart.cudaMemcpyHostToDevice),
                    "cudaMemcpy host to device");
        }
    }

    @Override
    public void toHost(long src, Object array) {
        if (java.lang.reflect.Array.getLength(array) == 0) {
            return;
        }
        try (Pointer host = staging(array, false)) {
            CudaCalls.check(cudart.cudaMemcpy(host, CudaCalls.at(src), bytes(host), cudart.cudaMemcpyDeviceToHost),
                    "cudaMemcpy device to host");
            read(host, array);
        }
    }

    @Override
    public void deviceToDevice(long src, long dst, long bytes) {
        CudaCalls.check(cudart.cudaMemcpy(CudaCalls.at(dst), CudaCalls.at(src), bytes, cudart.cudaMemcpyDeviceToDevice),
                "cudaMemcpy device to device");
    }

    @Override
    public void zero(long dst, long bytes) {
        CudaCalls.check(cudart.cudaMemset(CudaCalls.at(dst), 0, bytes), "cudaMemset");
    }

    private static long bytes(Pointer p) {
        return p.capacity() * p.sizeof();
    }

    /** A native buffer the size of {@code array}, holding its elements when {@code fill}. */
    private static Pointer staging(Object array, boolean fill) {
        if (array instanceof float[] a) {
            return fill ? new FloatPointer(a) : new FloatPointer(a.length);
        } else if (array instanceof double[] a) {
            return fill ? new DoublePointer(a) : new DoublePointer(a.length);
        } else if (array instanceof int[] a) {
            return fill ? new IntPointer(a) : new IntPointer(a.length);
        } else if (array instanceof long[] a) {
            return fill ? new LongPointer(a) : new LongPointer(a.length);
        } else if (array instanceof byte[] a) {
            return fill ? new BytePointer(a) : new BytePointer(a.length);
        }
        throw new IllegalArgumentException("cannot copy a " + array.getClass().getSimpleName() + " to or from a GPU");
    }

    private static void read(Pointer host, Object array) {
        if (array instanceof float[] a) {
            ((FloatPointer) host).get(a);
        } else if (array instanceof double[] a) {
            ((DoublePointer) host).get(a);
        } else if (array instanceof int[] a) {
            ((IntPointer) host).get(a);
        } else if (array instanceof long[] a) {
            ((LongPointer) host).get(a);
        } else {
            ((BytePointer) host).get((byte[]) array);
        }
    }
}
