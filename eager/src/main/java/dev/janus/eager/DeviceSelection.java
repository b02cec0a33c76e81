package dev.janus.eager;

import dev.janus.Device;
import dev.janus.spi.Backend;
import java.util.List;
import java.util.Locale;

/**
 * Picks devices: what {@link Device#auto()} answers and what {@code JANUS_DEVICE} means. Pure functions of
 * the setting and the backends found, so tests pass both in instead of touching the real environment.
 */
final class DeviceSelection {
    /** The environment variable that names the default device. */
    static final String VARIABLE = "JANUS_DEVICE";

    /** A chosen device and why, in words for the one log line. */
    record Choice(Device device, String reason) {}

    private DeviceSelection() {}

    /** CUDA device 0 when a CUDA backend is available, else the CPU; the reason says which backend decided. */
    static Choice auto(List<Backend> backends) {
        Backend cuda = find(backends, "cuda");
        if (cuda == null) {
            return new Choice(Device.CPU, "no CUDA backend on the class path (add dev.janus:janus-backend-cuda)");
        }
        if (cuda.isAvailable()) {
            return new Choice(new Device("cuda", 0), "the CUDA backend reports a usable GPU");
        }
        return new Choice(Device.CPU, "the CUDA backend is unavailable: " + cuda.unavailableReason());
    }

    /**
     * The default device for a {@code JANUS_DEVICE} value: unset or blank keeps the CPU (as before this
     * setting knew {@code auto}), {@code auto} is {@link #auto}, {@code cpu}, {@code cuda} and {@code cuda:N}
     * name a device. Naming CUDA without a usable CUDA backend is an error that says why.
     */
    static Device fromSetting(String value, List<Backend> backends) {
        if (value == null || value.isBlank()) {
            return Device.CPU;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return auto(backends).device();
        }
        Device d;
        try {
            d = Device.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + "='" + value + "' is not a device: expected cpu, cuda, "
                    + "cuda:N or auto", e);
        }
        if (!d.kind().equals("cpu")) {
            requireUsable(value, d, backends);
        }
        return d;
    }

    private static void requireUsable(String value, Device d, List<Backend> backends) {
        Backend b = find(backends, d.kind());
        if (b == null) {
            throw new IllegalStateException(VARIABLE + "='" + value + "' asks for " + d + ", but no " + d.kind()
                    + " backend is on the class path (add dev.janus:janus-backend-" + d.kind() + ")");
        }
        if (!b.isAvailable()) {
            throw new IllegalStateException(VARIABLE + "='" + value + "' asks for " + d + ", but the " + d.kind()
                    + " backend is unavailable: " + b.unavailableReason());
        }
    }

    private static Backend find(List<Backend> backends, String kind) {
        for (Backend b : backends) {
            if (b.deviceKind().equals(kind)) {
                return b;
            }
        }
        return null;
    }
}
