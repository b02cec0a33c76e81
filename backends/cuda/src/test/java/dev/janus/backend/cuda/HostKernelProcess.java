package dev.janus.backend.cuda;

import dev.janus.backend.cuda.kernels.GeneratedKernel;
import dev.janus.backend.cuda.kernels.KernelSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs generated kernels on the CPU against a {@link FakeDevice}'s memory: the kernels, {@code host_shim.h} and a
 * small dispatcher are compiled once with g++; the process maps the same file as the fake device and runs each
 * launch it is sent (kernel, pointer offsets, long arguments) on a 3 × 5 emulated grid, in place. So a whole
 * composite — kernels and the fake device's GEMM, interleaved — computes real results without a GPU.
 */
final class HostKernelProcess implements KernelLauncher, AutoCloseable {
    private static final long BASE = 1L << 32; // FakeDeviceMemory's first address

    private static final String DISPATCH = """
            #include <tuple>
            #include <fcntl.h>
            #include <sys/mman.h>
            #include <sys/stat.h>
            #include <unistd.h>
            struct JanusArgs { char* base; long long* p; long long* s; int pi, si; };
            template <typename T> struct JanusGet;
            template <typename T> struct JanusGet<T*> {
                static T* get(JanusArgs& a) { return (T*) (a.base + a.p[a.pi++]); }
            };
            template <> struct JanusGet<long long> { static long long get(JanusArgs& a) { return a.s[a.si++]; } };
            template <> struct JanusGet<double> {
                static double get(JanusArgs& a) { return __longlong_as_double(a.s[a.si++]); }
            };
            // braces evaluate the arguments left to right: pointers and longs are taken in declaration order
            template <typename... A> static void janus_invoke(void (*f)(A...), JanusArgs& a) {
                std::tuple<A...> args{JanusGet<A>::get(a)...};
                JANUS_LAUNCH(3, 5, std::apply(f, args));
            }
            """;

    private final Process process;
    private final OutputStream commands;
    private final BufferedReader acks;
    private final Map<String, Integer> index = new HashMap<>();

    /** Compiles {@code kernels} in {@code work} and starts the process over {@code memoryFile}. */
    HostKernelProcess(Collection<GeneratedKernel> kernels, Path memoryFile, Path work) throws IOException, InterruptedException {
        StringBuilder cpp = new StringBuilder(shim()).append(DISPATCH).append(KernelSource.PRELUDE).append('\n');
        StringBuilder cases = new StringBuilder();
        for (GeneratedKernel k : kernels) {
            cases.append("            case ").append(index.size()).append(": janus_invoke(").append(k.name()).append(", a); break;\n");
            index.put(k.name(), index.size());
            cpp.append(k.kernel()).append('\n');
        }
        cpp.append("""
                int main(int argc, char** argv) {
                    int fd = open(argv[1], O_RDWR);
                    struct stat st;
                    fstat(fd, &st);
                    char* base = (char*) mmap(0, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
                    if (base == MAP_FAILED) { perror("mmap"); return 2; }
                    int k, np, ns;
                    long long p[64], s[64]; // the Java side refuses longer argument lists
                    while (scanf("%d %d", &k, &np) == 2) {
                        for (int i = 0; i < np; i++) scanf("%lld", &p[i]);
                        scanf("%d", &ns);
                        for (int i = 0; i < ns; i++) scanf("%lld", &s[i]);
                        JanusArgs a = {base, p, s, 0, 0};
                        switch (k) {
                """).append(cases).append("""
                            default: fprintf(stderr, "unknown kernel %d\\n", k); return 3;
                        }
                        printf("ok\\n");
                        fflush(stdout);
                    }
                    return 0;
                }
                """);
        Path src = work.resolve("device.cpp");
        Path exe = work.resolve("device");
        Files.writeString(src, cpp);
        Process gcc = new ProcessBuilder("g++", "-O1", "-ffp-contract=off", "-w", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(300, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IllegalStateException("g++ failed on the kernels:\n" + log.substring(0, Math.min(4000, log.length())));
        }
        process = new ProcessBuilder(exe.toString(), memoryFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = process.getOutputStream();
        acks = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Override
    public void launch(GeneratedKernel kernel, long[] pointers, long[] scalars) {
        Integer k = index.get(kernel.name());
        if (pointers.length > 64 || scalars.length > 64) {
            throw new IllegalArgumentException("the host dispatcher takes at most 64 pointers and 64 longs, got "
                    + pointers.length + " and " + scalars.length + " for " + kernel.name());
        }
        if (k == null) {
            throw new IllegalStateException("kernel " + kernel.name() + " was not compiled into the host process");
        }
        List<String> line = new ArrayList<>(List.of(k.toString(), String.valueOf(pointers.length)));
        for (long p : pointers) {
            line.add(String.valueOf(p - BASE));
        }
        line.add(String.valueOf(scalars.length));
        for (long s : scalars) {
            line.add(String.valueOf(s));
        }
        try {
            commands.write((String.join(" ", line) + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            if (!"ok".equals(acks.readLine())) {
                throw new IllegalStateException("the host kernel process failed on " + kernel.name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the host kernel process died on " + kernel.name(), e);
        }
    }

    @Override
    public void close() throws IOException {
        commands.close();
        process.destroy();
    }

    private static String shim() throws IOException {
        try (InputStream in = HostKernelProcess.class.getResourceAsStream("/dev/janus/backend/cuda/kernels/host_shim.h")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
