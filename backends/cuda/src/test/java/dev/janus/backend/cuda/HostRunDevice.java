package dev.janus.backend.cuda;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * Runs a piece of GPU work on a {@link FakeDevice} whose kernels really run: once on a recording device to learn
 * which kernels it launches (their structure depends on shapes, not values), then — those kernels compiled with
 * g++ into one {@link HostKernelProcess} — on a device whose memory the process shares.
 */
final class HostRunDevice {
    private HostRunDevice() {}

    /** The result of {@code body} on the device that runs its kernels; {@code capacity} bytes of device memory. */
    static <T> T run(Path work, int capacity, Function<FakeDevice, T> body) throws IOException, InterruptedException {
        FakeDevice probe = new FakeDevice(map(work.resolve("probe.mem"), capacity));
        body.apply(probe);
        Path file = work.resolve("device.mem");
        FakeDevice device = new FakeDevice(map(file, capacity));
        try (HostKernelProcess process = new HostKernelProcess(probe.kernels.values(), file, work)) {
            device.runKernelsWith(process);
            return body.apply(device);
        }
    }

    /** A zero-filled shared file mapping (sparse on disk). */
    private static MappedByteBuffer map(Path file, int capacity) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        }
    }
}
