package dev.janus.backend.cuda.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The {@code kernelParams} that {@link DriverKernelLauncher} hands cuLaunchKernel, read back through JavaCPP in host
 * memory (no CUDA needed): a {@code void*} array whose entries point at the argument values, as the driver reads it.
 */
class KernelParamsTest {
    @Test
    void kernelParams_isAnArrayOfPointersToEightByteValues() {
        long[] pointers = {0x7f00_0000_1000L, 0x7f00_0000_2000L};
        long[] scalars = {1_000_000L, -1L, Double.doubleToRawLongBits(2.5)};
        long[] expected = {pointers[0], pointers[1], scalars[0], scalars[1], scalars[2]};
        try (DriverKernelLauncher.KernelParams params = new DriverKernelLauncher.KernelParams(pointers, scalars)) {
            // the array as the driver sees it: consecutive 8-byte void* entries
            LongPointer raw = new LongPointer(params.array());
            Set<Long> slots = new HashSet<>();
            for (int i = 0; i < expected.length; i++) {
                long slot = raw.get(i);
                assertNotEquals(0L, slot, "entry " + i + " must point at its value");
                assertNotEquals(expected[i], slot, "entry " + i + " must be a pointer to the value, not the value");
                assertEquals(params.array().get(i).address(), slot);
                assertEquals(expected[i], new LongPointer(new Slot(slot)).get(0), "value behind entry " + i);
                slots.add(slot);
            }
            assertEquals(expected.length, slots.size(), "each argument has its own slot");
            assertEquals(expected.length, params.array().capacity());
        }
    }

    @Test
    void kernelParams_withoutScalars_holdsThePointers() {
        try (DriverKernelLauncher.KernelParams params = new DriverKernelLauncher.KernelParams(new long[] {42L}, new long[0])) {
            assertEquals(42L, new LongPointer(new Slot(new LongPointer(params.array()).get(0))).get(0));
        }
    }

    /** A view of an address read out of the array (JavaCPP sets addresses only from subclasses or native code). */
    private static final class Slot extends Pointer {
        Slot(long address) {
            this.address = address;
        }
    }
}
