package dev.janus.backend.cuda.kernels;

import dev.janus.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs generated CUDA kernels on the CPU: writes one C++ file with {@code host_shim.h}, the prelude, every
 * distinct kernel and a driver that runs each case in order on a 3 x 5 grid, compiles it once with g++, feeds the
 * inputs on stdin and reads the outputs from stdout. One process for all cases keeps the test fast.
 */
final class HostKernelRunner {
    /**
     * One launch: a kernel, its inputs (Java arrays of {@code inputTypes}), its output's dtype and size, and its
     * long arguments.
     */
    record Case(GeneratedKernel kernel, List<DType> inputTypes, Object[] inputs, DType outType, long outNumel,
            long[] scalars) {
        static Case elementwise(KernelSpec spec, Object[] inputs) {
            KernelSource k = CudaKernels.source(spec);
            return new Case(k, spec.inputTypes(), inputs, spec.outType(), spec.outShape().numel(),
                    k.scalarArgs(spec.inputShapes(), spec.outShape()));
        }

        static Case reduce(ReduceSpec spec, Object input) {
            return new Case(CudaKernels.reduction(spec), List.of(spec.inType()), new Object[] {input}, spec.outType(),
                    spec.outNumel(), spec.scalarArgs());
        }
    }

    private HostKernelRunner() {}

    /** The output array of each case, in order. */
    static List<Object> run(List<Case> cases, Path workDir) throws IOException, InterruptedException {
        Map<String, GeneratedKernel> kernels = new LinkedHashMap<>();
        StringBuilder driver = new StringBuilder("int main() {\n");
        ByteArrayOutputStream stdin = new ByteArrayOutputStream();
        for (Case c : cases) {
            kernels.putIfAbsent(c.kernel().name(), c.kernel());
            driver.append(launch(c));
            for (Object in : c.inputs()) {
                stdin.write(bytes(in));
            }
        }
        driver.append("    return 0;\n}\n");
        StringBuilder cpp = new StringBuilder(readShim()).append('\n').append(KernelSource.PRELUDE).append('\n');
        kernels.values().forEach(k -> cpp.append(k.kernel()).append('\n'));
        Path src = workDir.resolve("kernels.cpp");
        Path exe = workDir.resolve("kernels");
        Files.writeString(src, cpp.append(driver).toString());
        // -ffp-contract=off: no fused multiply-adds, like the NVRTC options the backend uses (--fmad=false)
        exec(List.of("g++", "-O1", "-ffp-contract=off", "-w", "-o", exe.toString(), src.toString()), null);
        byte[] out = exec(List.of(exe.toString()), stdin.toByteArray());
        return split(cases, out);
    }

    private static String launch(Case c) {
        StringBuilder b = new StringBuilder("    {\n");
        List<String> args = new ArrayList<>(List.of("out"));
        for (int i = 0; i < c.inputs().length; i++) {
            String t = StepSource.cType(c.inputTypes().get(i));
            long bytes = (long) java.lang.reflect.Array.getLength(c.inputs()[i]) * c.inputTypes().get(i).byteSize();
            b.append("        ").append(t).append("* in").append(i).append(" = (").append(t).append("*) janus_read(")
                    .append(bytes).append(");\n");
            args.add("in" + i);
        }
        long n = c.outNumel();
        String t = StepSource.cType(c.outType());
        b.append("        ").append(t).append("* out = (").append(t).append("*) calloc(").append(n + 1).append(", sizeof(")
                .append(t).append("));\n");
        for (long a : c.scalars()) {
            args.add(a == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : a + "LL");
        }
        b.append("        JANUS_LAUNCH(3, 5, ").append(c.kernel().name()).append("(").append(String.join(", ", args)).append("));\n");
        b.append("        fwrite(out, sizeof(").append(t).append("), ").append(n).append(", stdout);\n");
        return b.append("    }\n").toString();
    }

    private static byte[] bytes(Object array) {
        ByteBuffer b;
        if (array instanceof float[] a) {
            b = order(ByteBuffer.allocate(4 * a.length));
            b.asFloatBuffer().put(a);
        } else if (array instanceof double[] a) {
            b = order(ByteBuffer.allocate(8 * a.length));
            b.asDoubleBuffer().put(a);
        } else if (array instanceof int[] a) {
            b = order(ByteBuffer.allocate(4 * a.length));
            b.asIntBuffer().put(a);
        } else if (array instanceof long[] a) {
            b = order(ByteBuffer.allocate(8 * a.length));
            b.asLongBuffer().put(a);
        } else {
            boolean[] a = (boolean[]) array;
            b = ByteBuffer.allocate(a.length);
            for (boolean v : a) {
                b.put((byte) (v ? 1 : 0));
            }
        }
        return b.array();
    }

    private static List<Object> split(List<Case> cases, byte[] out) {
        ByteBuffer b = order(ByteBuffer.wrap(out));
        List<Object> results = new ArrayList<>();
        for (Case c : cases) {
            int n = Math.toIntExact(c.outNumel());
            DType t = c.outType();
            results.add(switch (t) {
                case FLOAT32 -> { float[] a = new float[n]; b.asFloatBuffer().get(a); yield a; }
                case FLOAT64 -> { double[] a = new double[n]; b.asDoubleBuffer().get(a); yield a; }
                case INT32 -> { int[] a = new int[n]; b.asIntBuffer().get(a); yield a; }
                case INT64 -> { long[] a = new long[n]; b.asLongBuffer().get(a); yield a; }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = b.get(b.position() + i) != 0;
                    }
                    yield a;
                }
            });
            b.position(b.position() + n * t.byteSize());
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException(b.remaining() + " bytes of kernel output left over");
        }
        return results;
    }

    private static ByteBuffer order(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String readShim() throws IOException {
        try (InputStream in = HostKernelRunner.class.getResourceAsStream("host_shim.h")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs a command, feeding {@code stdin}; returns its stdout, or throws with its stderr when it fails. */
    static byte[] exec(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        Thread feeder = new Thread(() -> {
            try (OutputStream o = p.getOutputStream()) {
                if (stdin != null) {
                    o.write(stdin);
                }
            } catch (IOException ignored) {
                // the process ended early; its exit status says why
            }
        });
        feeder.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // stderr is only for the failure message
            }
        });
        errReader.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in 120 s");
        }
        feeder.join();
        errReader.join();
        if (p.exitValue() != 0) {
            String msg = err.toString(StandardCharsets.UTF_8);
            throw new IllegalStateException(command.get(0) + " failed with status " + p.exitValue() + ":\n"
                    + msg.substring(0, Math.min(msg.length(), 4000)));
        }
        return out;
    }

    /** True when {@code tool} runs (answers {@code --version}). */
    static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
