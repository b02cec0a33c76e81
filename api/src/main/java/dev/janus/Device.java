package dev.janus;

/**
 * Where a tensor's memory lives. {@code Device.CPU} is always there; CUDA devices come with the CUDA backend.
 *
 * @param kind  {@code "cpu"} or {@code "cuda"}
 * @param index the device ordinal (0 for the CPU)
 */
public record Device(String kind, int index) {
    public static final Device CPU = new Device("cpu", 0);

    /**
     * The best device on this machine: the first CUDA device when a CUDA backend on the class path reports a
     * usable GPU, else the CPU. The choice and its reason are logged once.
     *
     * <pre>{@code
     * Tensor x = Tensor.zeros(3).to(Device.auto());
     * }</pre>
     */
    public static Device auto() {
        return dev.janus.spi.Engines.factory().autoDevice();
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("cuda")) {
            return new Device("cuda", 0);
        }
        if (t.startsWith("cuda:")) {
            try {
                return new Device("cuda", Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + text + "': expected cpu, cuda or cuda:N", e);
            }
        }
        throw new IllegalArgumentException("bad device '" + text + "': expected cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return kind.equals("cpu") ? "cpu" : kind + ":" + index;
    }
}
